"""Admin for the responsibility list, the holiday calendar and API keys; cases are read here, changed
through their actions (the case page), and their history can be neither edited nor deleted."""

from django import forms
from django.contrib import admin, messages

from cases.actions import ActionError
from cases.disputes import PartyError, add_party, clean_party
from cases.models import (
    ApiKey,
    Case,
    CaseEvent,
    Category,
    Dispute,
    ExtensionRequest,
    Holiday,
    Notification,
    Party,
    Supervision,
)
from core.admin import column


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "default_level", "default_unit", "respond_hours", "resolve_workdays"]
    list_filter = ["default_level", "default_unit"]
    search_fields = ["code", "name", "keywords"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "active", column("created_at", "创建时间")]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["at", "actor", "actor_label", "action", "from_status", "to_status", "note", "public"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "status", "category", "unit", "channel", "created_at", "resolve_due", "resolve_overdue"]
    list_filter = ["status", "channel", "kind", "resolve_overdue", "category"]
    search_fields = ["number", "description"]
    date_hierarchy = "created_at"
    inlines = [EventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    """Append-only: not even a superuser can change or delete an event here (nor in the database)."""

    list_display = [column("case", "诉求"), "at", "actor_label", "action", "from_status", "to_status"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = [column("case", "诉求"), "kind", "level", "opened_at", "note"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = [column("case", "诉求"), "new_due", "status", column("requested_at", "申请时间")]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "phone",
        "text",
        column("created_at", "生成时间"),
        column("sent_at", "发送时间"),
        column("attempts", "尝试次数"),
    ]


PARTY_FIELDS = ["role", "name", "gender_age", "id_number", "phone", "address"]


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = PARTY_FIELDS

    def clean(self):
        data = super().clean()
        try:
            return {**data, **clean_party(**{f: data.get(f) or "" for f in PARTY_FIELDS})}
        except PartyError as exc:
            raise forms.ValidationError(str(exc)) from None


class PartyInline(admin.TabularInline):
    """Parties are added here or on the case page; each addition writes the case's history."""

    model = Party
    form = PartyForm
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = [column("case", "诉求"), "outcome"]
    list_filter = ["outcome"]
    fields = ["case", "outcome", "failure_route"]
    readonly_fields = fields
    inlines = [PartyInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        """New parties go through disputes.add_party: the same checks and a history row, as on the case page."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for party_form in formset.forms:
            if not party_form.has_changed() or party_form.instance.pk:
                continue
            fields = {f: party_form.cleaned_data.get(f, "") for f in PARTY_FIELDS}
            try:
                formset.new_objects.append(add_party(form.instance.case, request.user, **fields))
            except ActionError as exc:
                messages.error(request, f"未登记 {fields['name']}：{exc}")
