"""Changes that move past figures without touching a case: a category's response limit, a region's place in
the grid. The days they affect are marked for the next refresh."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from cases.models import Category
from grid.models import Region


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


@receiver(pre_save, sender=Region)
def remember_place(sender, instance: Region, **kwargs):
    instance._place_before = (
        Region.objects.filter(pk=instance.pk).values_list("parent_id", "kind").first() if instance.pk else None
    )


@receiver(post_save, sender=Region)
def recount_on_new_place(sender, instance: Region, created: bool, **kwargs):
    """A region moved in the grid (or changed level): every day's communities and streets are recounted."""
    before = getattr(instance, "_place_before", None)
    if not created and before is not None and before != (instance.parent_id, instance.kind):
        from dashboard.models import DayTally
        from dashboard.rollup import mark_dirty

        mark_dirty(DayTally.objects.order_by().values_list("day", flat=True).distinct())
