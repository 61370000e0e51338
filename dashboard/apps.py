from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "一把尺考评与驾驶舱"

    def ready(self):
        from dashboard import signals  # noqa: F401 — connects the category watch
