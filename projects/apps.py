from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "民生实事码上通"
    default_auto_field = "django.db.models.BigAutoField"
