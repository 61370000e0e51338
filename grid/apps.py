from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "grid"
    verbose_name = "网格"
    default_auto_field = "django.db.models.BigAutoField"
