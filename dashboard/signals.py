"""A changed response limit changes past figures: the days with cases of that category are recomputed."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from cases.models import Category


@receiver(pre_save, sender=Category)
def remember_respond_hours(sender, instance: Category, **kwargs):
    instance._respond_hours_before = (
        Category.objects.filter(pk=instance.pk).values_list("respond_hours", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Category)
def recount_on_new_limit(sender, instance: Category, created: bool, **kwargs):
    before = getattr(instance, "_respond_hours_before", None)
    if not created and before is not None and before != instance.respond_hours:
        from dashboard.rollup import mark_category_dirty

        mark_category_dirty(instance)
