from cases.tests.conftest import sms  # noqa: F401 — the text-message outbox, shared with the cases tests
