from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "bundles"
    verbose_name = "高效办成一件事"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from bundles.documents import BUNDLES
        from search.registry import register

        register(BUNDLES)
