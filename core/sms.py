"""Pluggable text-message backends (one-time codes, case notifications).

SMS_BACKEND names a class with `send(phone, text)`; a failure raises (SmsError), so the worker
tries the message again on a later round. Console, file and memory backends send nothing (development,
tests); AliyunBackend sends through 阿里云短信服务.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger("core.sms")


class ConsoleBackend:
    """Prints messages to the server log: for development and the demo."""

    def send(self, phone: str, text: str) -> None:
        log.warning("短信 → %s：%s", phone, text)


class FileBackend:
    """Appends one JSON line per message to SMS_FILE: for tests and audits."""

    def send(self, phone: str, text: str) -> None:
        path = Path(settings.SMS_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"at": timezone.now().isoformat(), "phone": phone, "text": text}, ensure_ascii=False)
        with path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")


class MemoryBackend:
    """Keeps messages in a list (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


class SmsError(Exception):
    """The gateway refused the message or could not be reached."""


class AliyunBackend:
    """阿里云短信服务 SendSms (API 2017-05-25), each request signed with ACS3-HMAC-SHA256 (signature V3).

    Chinese carriers deliver only approved templates: the district registers a signature (SMS_SIGN_NAME)
    and a notification template with one variable, e.g. "${content}", whose code is SMS_TEMPLATE_CODE;
    the text goes into that variable.
    """

    action = "SendSms"
    version = "2017-05-25"

    def __init__(self, config: dict | None = None):
        self.config = config or settings.SMS_ALIYUN

    def send(self, phone: str, text: str) -> None:
        params = {
            "PhoneNumbers": phone,
            "SignName": self.config["SIGN_NAME"],
            "TemplateCode": self.config["TEMPLATE_CODE"],
            "TemplateParam": json.dumps({"content": text}, ensure_ascii=False),
        }
        endpoint = self.config["ENDPOINT"]
        query = canonical_query(params)
        headers = sign_v3(
            "POST",
            urlsplit(endpoint).netloc,
            "/",
            query,
            b"",
            {
                "content-type": "application/x-www-form-urlencoded",
                "x-acs-action": self.action,
                "x-acs-version": self.version,
            },
            self.config["ACCESS_KEY_ID"],
            self.config["ACCESS_KEY_SECRET"],
        )
        # endpoint is an http(s) URL (settings check it with env_url)
        request = urllib.request.Request(f"{endpoint}/?{query}", data=b"", headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.config["TIMEOUT"]) as response:  # noqa: S310
                answer = _json(response.read())
        except urllib.error.HTTPError as exc:
            answer = _json(exc.read())
            raise SmsError(f"短信网关拒绝（HTTP {exc.code}）：{answer.get('Code')} {answer.get('Message')}") from None
        except (OSError, ValueError) as exc:
            raise SmsError(f"短信网关无法连接：{exc}") from None
        if answer.get("Code") != "OK":
            raise SmsError(f"短信网关拒绝：{answer.get('Code')} {answer.get('Message')}")


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def percent_encode(value: str) -> str:
    """RFC 3986: everything but A-Z a-z 0-9 - _ . ~ as %XX of its UTF-8 bytes (a space is %20)."""
    return quote(value, safe="-_.~")


def canonical_query(params: dict[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def sign_v3(
    method: str,
    host: str,
    path: str,
    query: str,
    body: bytes,
    headers: dict[str, str],
    key_id: str,
    secret: str,
    now: dt.datetime | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The request headers with Authorization, per Alibaba Cloud's signature V3 (ACS3-HMAC-SHA256).

    query must already be canonical (sorted, percent-encoded): it is sent as signed. Every header
    given is signed (host, content-type and the x-acs-* headers must be).
    """
    now = now or dt.datetime.now(dt.UTC)
    signed = {
        **{k.lower(): v.strip() for k, v in headers.items()},
        "host": host,
        "x-acs-date": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "x-acs-signature-nonce": nonce or secrets.token_hex(16),
        "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
    }
    names = sorted(signed)
    canonical_request = "\n".join(
        [
            method,
            path,
            query,
            "".join(f"{name}:{signed[name]}\n" for name in names),
            ";".join(names),
            signed["x-acs-content-sha256"],
        ]
    )
    string_to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical_request.encode()).hexdigest()
    signature = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
    signed["Authorization"] = (
        f"ACS3-HMAC-SHA256 Credential={key_id},SignedHeaders={';'.join(names)},Signature={signature}"
    )
    return signed


@lru_cache(maxsize=4)
def _backend(path: str):
    return import_string(path)()


def send_sms(phone: str, text: str) -> None:
    _backend(settings.SMS_BACKEND).send(phone, text)
