from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "搜索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from search.indexes import content_changed
        from search.models import Synonym

        # The lexicon feeds every index; the kinds' own models are connected when they register.
        post_save.connect(content_changed, sender=Synonym, dispatch_uid="search-synonym")
        post_delete.connect(content_changed, sender=Synonym, dispatch_uid="search-synonym-delete")
