from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "诉求与纠纷"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cases.api import forget_categories
        from cases.models import Category
        from cases.suggest import CATEGORIES
        from search.registry import register

        post_save.connect(forget_categories, sender=Category, dispatch_uid="cases-category-cache")
        post_delete.connect(forget_categories, sender=Category, dispatch_uid="cases-category-cache-del")
        register(CATEGORIES)
