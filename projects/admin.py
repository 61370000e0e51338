"""Staff enter and edit projects here (with site photos); progress is posted from the phone page
(/p/work/<code>/update/) so that the timeline, the project's figures and the history move together.

Projects are never deleted (their code is printed on a board) and ratings are never deleted
or edited here: moderation happens in the queue at /p/work/moderation/, with a reason.
"""

from django import forms
from django.contrib import admin
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin import column
from core.photos import PhotoError, clean_photo
from projects import stats
from projects.actions import record
from projects.choices import ActivityKind
from projects.models import Activity, ProgressUpdate, Project, ProjectPhoto, ProjectReport, Rating


class PhotoForm(forms.ModelForm):
    class Meta:
        model = ProjectPhoto
        fields = ["image", "caption"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            try:
                return clean_photo(image)
            except PhotoError as exc:
                raise forms.ValidationError(str(exc)) from None
        return image


class PhotoInline(admin.TabularInline):
    model = ProjectPhoto
    form = PhotoForm
    extra = 1
    fields = ["image", "caption"]
    verbose_name_plural = "项目照片（进展照片随进展一起发布）"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(update__isnull=True)


class UpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    can_delete = False
    fields = ["date", "percent", "status", "text", "author_label"]
    readonly_fields = fields
    verbose_name_plural = "项目进展（在手机页面发布）"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "category", "status", "progress", "unit", "region", "is_demo"]
    list_filter = ["category", "status", "unit", "is_demo"]
    search_fields = ["name", "code", "location", "description"]
    list_select_related = ["unit", "region"]
    readonly_fields = ["code", "links", "created_at", "updated_at"]
    inlines = [PhotoInline, UpdateInline]
    actions = ["export_xlsx"]
    fieldsets = [
        (None, {"fields": ["code", "links", "name", "category", "status", "progress", "is_demo"]}),
        ("在哪里、谁负责", {"fields": ["region", "location", "latitude", "longitude", "unit", "supervision_phone"]}),
        (
            "投资与工期",
            {"fields": ["budget", "funding_source", "planned_start", "planned_end", "actual_start", "actual_end"]},
        ),
        ("建设内容", {"fields": ["description"]}),
        ("记录", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="页面与二维码")
    def links(self, obj):
        if not obj.pk:
            return "保存后生成项目码和二维码"
        return format_html(
            '<a href="{}" target="_blank">项目页面</a> · <a href="{}">二维码 SVG</a> · <a href="{}">二维码 PNG</a> · '
            '<a href="{}" target="_blank">公示牌 PDF</a> · <a href="{}">发布进展</a>',
            obj.get_absolute_url(),
            reverse("projects:qr_svg", args=[obj.code]),
            reverse("projects:qr_png", args=[obj.code]),
            reverse("projects:poster", args=[obj.code]),
            reverse("projects:update", args=[obj.code]),
        )

    def has_delete_permission(self, request, obj=None):
        return False  # the code is printed on a board at the site: it must keep answering

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = "、".join(str(form.fields[f].label) for f in form.changed_data if f in form.fields)
        record(obj, request.user, ActivityKind.EDIT if change else ActivityKind.CREATE, note=changed)

    @admin.action(description="导出所选项目及其评价（Excel）")
    def export_xlsx(self, request, queryset):
        response = HttpResponse(
            stats.workbook(queryset), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="projects-{timezone.localdate():%Y%m%d}.xlsx"'
        return response


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Read-only: every rating is kept; hide or publish in the moderation queue, where a reason is required."""

    list_display = ["project", "satisfaction", "masked_phone", "review", "hidden", "created_at", "is_demo"]
    list_filter = ["satisfaction", "review", "hidden", "is_demo", "project__category"]
    search_fields = ["project__name", "project__code", "comment"]
    list_select_related = ["project"]
    date_hierarchy = "created_at"
    exclude = ["phone", "ip_hash", "user"]
    readonly_fields = [
        "project", "masked_phone", "satisfaction", "comment", "photo", "review", "flagged_words", "reviewed_by",
        "reviewed_at", "review_note", "hidden", "hidden_by", "hidden_at", "hidden_reason", "created_at", "is_demo",
        "moderate_link",
    ]  # fmt: skip

    @admin.display(description="手机号")
    def masked_phone(self, obj):
        return obj.masked_phone

    @admin.display(description="审核")
    def moderate_link(self, obj):
        url = reverse("projects:moderation") + f"?show=all&project={obj.project.code}"
        return format_html('<a href="{}">到审核队列处理</a>', url)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProjectReport)
class ProjectReportAdmin(admin.ModelAdmin):
    list_display = ["project", "case", "created_at"]
    list_select_related = ["project", "case"]
    search_fields = ["project__name", "case__number"]
    readonly_fields = ["project", "case", "reporter", "created_at"]
    exclude = ["ip_hash"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["at", "project", "kind", "actor_label", column("actor", "操作人"), "note"]
    list_filter = ["kind"]
    search_fields = ["project__name", "project__code", "note"]
    list_select_related = ["project", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
