"""The 阿里云短信服务 backend, against a local server that checks each request's signature as the provider does.

The server's check is written here from the provider's public description of signature V3
(ACS3-HMAC-SHA256), independently of core.sms: it rebuilds the canonical request from what arrived
on the wire, so a wrong encoding, order or header in the backend fails the test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from cases.models import Notification
from cases.worker import deliver_notifications
from core.sms import AliyunBackend, SmsError, send_sms

KEYS = {"LTAI-test-key": "test-secret-不可外传"}
UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
REQUIRED = {"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"}


def rfc3986(text: str) -> str:
    return "".join(chr(b) if b in UNRESERVED else f"%{b:02X}" for b in text.encode())


class Provider(BaseHTTPRequestHandler):
    """Answers like SendSms: {"Code": "OK", ...}, or the provider's error codes."""

    def log_message(self, *args):
        pass

    def answer(self, status: int, body: dict) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        problem = self.server.verify(self.command, self.path, self.headers, body)
        if problem:
            return self.answer(400, {"Code": problem, "Message": problem, "RequestId": "r"})
        params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        if self.server.refuse:
            return self.answer(200, {"Code": self.server.refuse, "Message": "触发流控", "RequestId": "r"})
        self.server.received.append(params)
        return self.answer(200, {"Code": "OK", "Message": "OK", "BizId": "b", "RequestId": "r"})


class FakeProvider(ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), Provider)
        self.received: list[dict] = []
        self.nonces: set[str] = set()
        self.refuse = ""

    def verify(self, method: str, target: str, headers, body: bytes) -> str:
        """The provider's side: '' when the signature holds, else its error code."""
        auth = headers.get("Authorization", "")
        algorithm, _, fields = auth.partition(" ")
        parts = dict(item.split("=", 1) for item in fields.split(",") if "=" in item)
        if algorithm != "ACS3-HMAC-SHA256" or parts.get("Credential") not in KEYS:
            return "InvalidAccessKeyId.NotFound"
        signed = parts.get("SignedHeaders", "").split(";")
        must = REQUIRED | ({"content-type"} if headers.get("Content-Type") else set())
        if signed != sorted(signed) or not must <= set(signed):
            return "IncompleteSignature"
        if headers.get("x-acs-content-sha256") != hashlib.sha256(body).hexdigest():
            return "ContentSHA256NotMatched"
        sent_at = dt.datetime.strptime(headers.get("x-acs-date", ""), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        if abs((dt.datetime.now(dt.UTC) - sent_at).total_seconds()) > 900:
            return "InvalidTimeStamp.Expired"
        nonce = headers.get("x-acs-signature-nonce", "")
        if nonce in self.nonces:
            return "SignatureNonceUsed"
        url = urlsplit(target)
        pairs = parse_qsl(url.query, keep_blank_values=True)
        query = "&".join(f"{rfc3986(k)}={rfc3986(v)}" for k, v in sorted(pairs))
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed)
        canonical = "\n".join(
            [method, url.path or "/", query, canonical_headers, ";".join(signed), hashlib.sha256(body).hexdigest()]
        )
        to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
        expected = hmac.new(KEYS[parts["Credential"]].encode(), to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts.get("Signature", "")):
            return "SignatureDoesNotMatch"
        self.nonces.add(nonce)
        return ""


@pytest.fixture
def provider():
    server = FakeProvider()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def gateway(settings, provider):
    settings.SMS_BACKEND = "core.sms.AliyunBackend"
    settings.SMS_ALIYUN = {
        "ACCESS_KEY_ID": "LTAI-test-key",
        "ACCESS_KEY_SECRET": KEYS["LTAI-test-key"],
        "SIGN_NAME": "测试区民生服务",
        "TEMPLATE_CODE": "SMS_100001",
        "ENDPOINT": f"http://127.0.0.1:{provider.server_port}",
        "TIMEOUT": 5,
    }
    from core import sms

    sms._backend.cache_clear()
    yield settings.SMS_ALIYUN
    sms._backend.cache_clear()


def test_a_message_reaches_the_provider_with_a_valid_signature(gateway, provider):
    text = "您的诉求 260501-00001 已办结，请评价处理结果（解决了没有、满意吗）。& ~*+/"
    send_sms("13800000011", text)
    assert provider.received == [
        {
            "PhoneNumbers": "13800000011",
            "SignName": "测试区民生服务",
            "TemplateCode": "SMS_100001",
            "TemplateParam": json.dumps({"content": text}, ensure_ascii=False),
        }
    ]


def test_each_request_is_signed_afresh(gateway, provider):
    for _ in range(3):
        send_sms("13800000011", "验证码 123456")
    assert len(provider.received) == 3 and len(provider.nonces) == 3


def test_a_wrong_secret_is_refused_and_raises(gateway, provider):
    backend = AliyunBackend({**gateway, "ACCESS_KEY_SECRET": "not-the-secret"})
    with pytest.raises(SmsError, match="SignatureDoesNotMatch"):
        backend.send("13800000011", "验证码 123456")
    assert provider.received == []


def test_an_unreachable_gateway_raises(gateway, provider):
    backend = AliyunBackend({**gateway, "ENDPOINT": "http://127.0.0.1:9", "TIMEOUT": 2})
    with pytest.raises(SmsError, match="无法连接"):
        backend.send("13800000011", "验证码 123456")


def test_a_refused_message_stays_in_the_outbox_and_goes_out_on_a_later_round(gateway, provider, db):
    note = Notification.objects.create(phone="13800000011", text="您的诉求 260501-00002 已受理。")
    provider.refuse = "isv.BUSINESS_LIMIT_CONTROL"
    assert deliver_notifications() == 0
    note.refresh_from_db()
    assert note.sent_at is None and note.attempts == 1 and "isv.BUSINESS_LIMIT_CONTROL" in note.last_error
    provider.refuse = ""
    assert deliver_notifications() == 1
    note.refresh_from_db()
    assert note.sent_at is not None and note.attempts == 2
    assert [p["PhoneNumbers"] for p in provider.received] == ["13800000011"]


def test_a_login_code_that_cannot_be_sent_gets_a_clear_answer(gateway, provider, client, db):
    provider.refuse = "isv.BUSINESS_LIMIT_CONTROL"
    response = client.post("/login/", {"phone": "13800000011"})
    assert response.status_code == 503
    assert "验证码短信暂时发不出去" in response.content.decode()
