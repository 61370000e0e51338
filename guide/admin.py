"""Staff edit the catalog here: a matter with its steps, FAQs, questions and situations inline;
a question with its options; a situation with its materials and review points.

Django's admin nests one level, so questions and situations link to their own
pages (show_change_link). After every save the matter is audited and problems
are shown at once, so a broken flow never goes unnoticed.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from core.admin import column
from guide.audit import audit_matter
from guide.catalog import matter_to_dict, record_change
from guide.choices import ChangeSource
from guide.excel import export_workbook, import_workbook
from guide.models import (
    CatalogChange,
    Department,
    Faq,
    Material,
    Matter,
    Option,
    Parameter,
    Question,
    ReviewPoint,
    SearchLog,
    ServiceTally,
    Situation,
    Step,
    Synonym,
)


def _warn_about(request, matter: Matter) -> None:
    for problem in audit_matter(matter):
        messages.warning(request, f"{matter.code}：{problem}")


class HistoryMixin:
    """Every save or delete through the admin keeps a history row with the matter before and after."""

    def matter_of(self, obj) -> Matter | None:
        return obj.matter if obj is not None and obj.pk else None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        matter = obj if isinstance(obj, Matter) else self.matter_of(obj)
        request._catalog_before = (matter.code, matter_to_dict(matter)) if matter else None
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        matter = form.instance if isinstance(form.instance, Matter) else form.instance.matter
        before = getattr(request, "_catalog_before", None)
        record_change(
            request.user.get_username(),
            ChangeSource.ADMIN,
            matter.code,
            before[1] if before and before[0] == matter.code else None,
            matter_to_dict(Matter.objects.get(pk=matter.pk)),
        )
        _warn_about(request, matter)

    def delete_model(self, request, obj):
        matter = obj if isinstance(obj, Matter) else obj.matter
        before = matter_to_dict(matter)
        super().delete_model(request, obj)
        after = None if isinstance(obj, Matter) else matter_to_dict(Matter.objects.get(pk=matter.pk))
        record_change(request.user.get_username(), ChangeSource.ADMIN, matter.code, before, after)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ParameterInline(admin.TabularInline):
    model = Parameter
    extra = 0
    fields = ["order", "key", "label", "value", "effective_from", "effective_to", "citations"]


class StepInline(admin.TabularInline):
    model = Step
    extra = 0


class FaqInline(admin.StackedInline):
    model = Faq
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    show_change_link = True
    fields = ["order", "key", "text", "help_text"]


class SituationInline(admin.TabularInline):
    model = Situation
    extra = 0
    show_change_link = True
    fields = ["order", "key", "name", "online_depth", "visits", "fee"]


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]
    ordering = ["order", "code"]
    actions = ["export_xlsx"]
    change_list_template = "admin/guide/department/change_list.html"

    @admin.action(description="导出所选部门的办事指南（Excel）")
    def export_xlsx(self, request, queryset):
        return _xlsx_response(export_workbook(queryset), "catalog.xlsx")

    def get_urls(self):
        return [
            path("export/", self.admin_site.admin_view(self.export_all), name="guide_catalog_export"),
            path("import/", self.admin_site.admin_view(self.import_view), name="guide_catalog_import"),
            *super().get_urls(),
        ]

    def export_all(self, request):
        if not self.has_view_permission(request):
            return redirect("admin:index")
        return _xlsx_response(export_workbook(), "catalog.xlsx")

    def import_view(self, request):
        """Upload an edited workbook: every problem by sheet, row and column, or all of it saved."""
        if not request.user.has_perm("guide.change_matter"):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            report = import_workbook(form.cleaned_data["file"], actor=request.user.get_username())
            problems = report.problems
            if not problems:
                messages.success(request, f"导入完成：{report.result}")
                return redirect("admin:guide_department_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "problems": problems,
            "title": "从 Excel 导入办事指南",
        }
        return render(request, "admin/guide/import.html", context)


def _xlsx_response(book, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    book.save(response)
    return response


class ReviewDueFilter(admin.SimpleListFilter):
    title = "复核"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "30 天内到期或已逾期"), ("overdue", "已逾期"), ("never", "从未复核"), ("expired", "有过期参数")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.filter(Q(next_review_due__lte=today + dt.timedelta(days=30)) | Q(next_review_due=None))
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if self.value() == "never":
            return queryset.filter(reviewed_on=None)
        if self.value() == "expired":
            return queryset.filter(parameters__effective_to__lt=today).distinct()
        return queryset


@admin.register(Matter)
class MatterAdmin(HistoryMixin, admin.ModelAdmin):
    list_display = ["code", "name", "department", "level", "promised_limit_days", "review_status", "popular"]
    list_filter = [ReviewDueFilter, "department", "level", "matter_type"]
    search_fields = ["code", "name", "keywords"]
    inlines = [StepInline, FaqInline, ParameterInline, QuestionInline, SituationInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "department", "matter_type", "popular", "keywords"]}),
        (
            "办事指南",
            {
                "fields": [
                    "implementing_body",
                    "level",
                    "handling_office",
                    "basic_code",
                    "implementation_code",
                    "service_object",
                    "citations",
                    "acceptance_conditions",
                    ("legal_limit_days", "legal_limit_unit"),
                    ("promised_limit_days", "promised_limit_unit"),
                    "fee",
                    "result_name",
                ]
            },
        ),
        ("在哪办", {"fields": ["place", "office_hours", "consult_phone", "complaint_phone", "online_url"]}),
        ("复核", {"fields": ["reviewed_by", "legal_reviewed_by", "reviewed_on", "next_review_due"]}),
        ("口语化攻略与引导", {"fields": ["plain_guide", "first_question"]}),
    ]

    @admin.display(description="复核", ordering="next_review_due")
    def review_status(self, matter: Matter) -> str:
        return review_status(matter)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "first_question":
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Question.objects.filter(matter_id=object_id) if object_id else Question.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def review_status(matter: Matter, today: dt.date | None = None) -> str:
    """What the review list says about a matter: overdue, due soon, expired parameters, or fine."""
    today = today or timezone.localdate()
    expired = [p.label for p in matter.parameters.all() if p.expired(today)]
    notes = []
    if matter.next_review_due is None:
        notes.append("从未复核" if matter.reviewed_on is None else "未定下次复核")
    elif matter.next_review_due < today:
        notes.append(f"已逾期（应于 {matter.next_review_due} 复核）")
    elif matter.next_review_due <= today + dt.timedelta(days=30):
        notes.append(f"{matter.next_review_due} 到期")
    if expired:
        notes.append(f"参数已过期：{'、'.join(expired)}")
    return "；".join(notes) or f"正常（{matter.next_review_due}）"


@admin.register(CatalogChange)
class CatalogChangeAdmin(admin.ModelAdmin):
    """The catalog's history: read only, nobody edits or deletes it."""

    list_display = ["at", "actor", "source", "action", "matter_code"]
    list_filter = ["source", "action"]
    search_fields = ["matter_code", "actor"]
    readonly_fields = ["at", "actor", "source", "action", "matter_code", "before", "after"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OptionInline(admin.TabularInline):
    model = Option
    fk_name = "question"
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Options may only lead to questions and situations of the same matter.
        question = Question.objects.filter(pk=request.resolver_match.kwargs.get("object_id")).first()
        if db_field.name == "next_question":
            kwargs["queryset"] = (
                Question.objects.filter(matter=question.matter) if question else Question.objects.none()
            )
        if db_field.name == "situation":
            kwargs["queryset"] = (
                Situation.objects.filter(matter=question.matter) if question else Situation.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Question)
class QuestionAdmin(HistoryMixin, admin.ModelAdmin):
    list_display = [column("matter", "事项"), "key", "text"]
    list_filter = ["matter__department"]
    search_fields = ["matter__code", "text"]
    inlines = [OptionInline]


class MaterialInline(admin.StackedInline):
    model = Material
    extra = 0


class ReviewPointInline(admin.StackedInline):
    model = ReviewPoint
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "material":
            kwargs["queryset"] = Material.objects.filter(situation_id=request.resolver_match.kwargs.get("object_id"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Situation)
class SituationAdmin(HistoryMixin, admin.ModelAdmin):
    list_display = [column("matter", "事项"), "key", "name", "online_depth", "visits"]
    list_filter = ["matter__department", "online_depth"]
    search_fields = ["matter__code", "name"]
    inlines = [MaterialInline, ReviewPointInline]


@admin.register(ServiceTally)
class ServiceTallyAdmin(admin.ModelAdmin):
    list_display = ["day", column("situation", "情形"), "count"]
    list_filter = ["day"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """Staff teach search a resident's word; it is searchable in every worker within seconds."""

    list_display = ["phrase", "means", "note", "updated_at"]
    search_fields = ["phrase", "means"]

    def get_changeform_initial_data(self, request):
        # "添加同义词" from the search report arrives with ?phrase=…
        return {"phrase": request.GET.get("phrase", "")[:32]}


class NoClickFilter(admin.SimpleListFilter):
    title = "效果"
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [("nothing", "没有结果"), ("unclicked", "有结果但没人点")]

    def queryset(self, request, queryset):
        if self.value() == "nothing":
            return queryset.filter(fallback=True)
        if self.value() == "unclicked":
            return queryset.filter(fallback=False, clicked_code="")
        return queryset


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    """What residents searched for. Anonymous: no user, address or session is kept."""

    list_display = ["created", "query", "result_count", "top_code", "clicked_code", "clicked_rank", "source"]
    list_filter = [NoClickFilter, "source", "created"]
    search_fields = ["query", "normalized"]
    change_list_template = "admin/guide/searchlog/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("misses/", self.admin_site.admin_view(self.misses_view), name="guide_search_misses"),
            *super().get_urls(),
        ]

    def misses_view(self, request):
        """Queries that found nothing or where nobody clicked, most frequent first, with a fix link."""
        if not self.has_view_permission(request):
            return redirect("admin:index")
        rows = (
            SearchLog.objects.filter(Q(fallback=True) | Q(clicked_code=""))
            .values("normalized")
            .annotate(
                times=Count("id"),
                nothing=Count("id", filter=Q(fallback=True)),
                last=Max("created"),
            )
            .order_by("-times", "-last")[:200]
        )
        context = {**self.admin_site.each_context(request), "rows": rows, "title": "待改进的搜索"}
        return render(request, "admin/guide/search_misses.html", context)
