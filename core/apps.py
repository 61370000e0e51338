from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Primitives every domain app shares: errors, text and phone checks, photos, append-only history,
    the rate limiter, text messages and the worker heartbeat. It imports no domain app."""

    name = "core"
    verbose_name = "平台公共"
