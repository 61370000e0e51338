"""Staff edit bundles here: a bundle with its matters, shared questions, form lines and planned matters;
a shared question with its options; an option with the answers it gives each matter.

After every save the bundle is audited against the catalog and problems are shown at once.
"""

from django.contrib import admin, messages

from bundles import schema
from bundles.loading import bundle_to_dict, catalog_questions
from bundles.models import (
    AnswerMapping,
    Bundle,
    Component,
    FormField,
    PlannedMatter,
    PresetAnswer,
    SharedOption,
    SharedQuestion,
)


def _warn_about(request, bundle: Bundle) -> None:
    for problem in schema.problems(bundle_to_dict(bundle), catalog_questions()):
        messages.warning(request, f"{bundle.name}：{problem}")


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0
    show_change_link = True  # its fixed answers are edited on its own page
    autocomplete_fields = ["matter"]
    fields = ["stage", "order", "matter", "waits_for", "note"]


class SharedQuestionInline(admin.TabularInline):
    model = SharedQuestion
    extra = 0
    show_change_link = True
    fields = ["order", "key", "text", "help_text"]


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0


class PlannedMatterInline(admin.TabularInline):
    model = PlannedMatter
    extra = 0


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "lead", "popular", "order"]
    search_fields = ["code", "name", "keywords"]
    inlines = [ComponentInline, SharedQuestionInline, FormFieldInline, PlannedMatterInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _warn_about(request, form.instance)


class PresetAnswerInline(admin.TabularInline):
    model = PresetAnswer
    extra = 1


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    list_display = ["bundle", "stage", "matter"]
    list_filter = ["bundle"]
    autocomplete_fields = ["matter"]
    inlines = [PresetAnswerInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _warn_about(request, form.instance.bundle)


class SharedOptionInline(admin.TabularInline):
    model = SharedOption
    extra = 0
    show_change_link = True
    fields = ["order", "key", "label", "skips"]


@admin.register(SharedQuestion)
class SharedQuestionAdmin(admin.ModelAdmin):
    list_display = ["bundle", "key", "text"]
    list_filter = ["bundle"]
    inlines = [SharedOptionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _warn_about(request, form.instance.bundle)


class AnswerMappingInline(admin.TabularInline):
    model = AnswerMapping
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # An answer goes to a matter of the same bundle.
        if db_field.name == "component":
            option = SharedOption.objects.filter(pk=request.resolver_match.kwargs.get("object_id")).first()
            bundle_id = option.question.bundle_id if option else None
            kwargs["queryset"] = Component.objects.filter(bundle_id=bundle_id).select_related("matter")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SharedOption)
class SharedOptionAdmin(admin.ModelAdmin):
    list_display = ["question", "key", "label", "skips"]
    list_filter = ["question__bundle"]
    inlines = [AnswerMappingInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _warn_about(request, form.instance.question.bundle)
