"""Pluggable text-message backends (one-time codes, case notifications).

SMS_BACKEND names a class with `send(phone, text)`. Console and file backends
ship; a real gateway is one more class and a setting.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path

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


@lru_cache(maxsize=4)
def _backend(path: str):
    return import_string(path)()


def send_sms(phone: str, text: str) -> None:
    _backend(settings.SMS_BACKEND).send(phone, text)
