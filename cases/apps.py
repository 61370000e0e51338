from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "诉求与纠纷"
    default_auto_field = "django.db.models.BigAutoField"
