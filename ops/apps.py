from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class OpsConfig(AppConfig):
    """Running the site: health check, access-checked uploads, CSP, JSON logs, backups, retention.

    It may read every app (by label or dotted path); no domain app imports it.
    """

    name = "ops"
    verbose_name = "运行维护"
    default = True  # this module also holds StaticFilesConfig

    def ready(self) -> None:
        from ops import checks  # noqa: F401 — registers the system checks


class StaticFilesConfig(BaseStaticFilesConfig):
    """collectstatic leaves out ReDoc (the API docs use Swagger UI): 4 MB that gunicorn would compress for nothing."""

    ignore_patterns = [*BaseStaticFilesConfig.ignore_patterns, "redoc.standalone.js*"]
