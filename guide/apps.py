from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = "办事指南"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from guide.documents import MATTERS
        from search.registry import register

        register(MATTERS)
