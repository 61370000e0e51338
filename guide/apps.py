from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = "办事指南"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from guide import searching

        for model in searching.SEARCHABLE:
            post_save.connect(searching.content_changed, sender=model, dispatch_uid=f"search-{model.__name__}")
            post_delete.connect(searching.content_changed, sender=model, dispatch_uid=f"search-del-{model.__name__}")
