from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = "办事指南"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps

        from guide import searching

        # Case categories feed the category suggestion, which shares the version counter.
        searchable = (*searching.SEARCHABLE, apps.get_model("cases", "Category"))
        for model in searchable:
            post_save.connect(searching.content_changed, sender=model, dispatch_uid=f"search-{model.__name__}")
            post_delete.connect(searching.content_changed, sender=model, dispatch_uid=f"search-del-{model.__name__}")
