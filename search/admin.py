"""Staff teach search residents' words and see which searches found nothing."""

from django.contrib import admin
from django.db.models import Count, Max, Q
from django.shortcuts import redirect, render
from django.urls import path

from search.models import SearchLog, Synonym


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
    change_list_template = "admin/search/searchlog/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("misses/", self.admin_site.admin_view(self.misses_view), name="search_misses"),
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
        return render(request, "admin/search/search_misses.html", context)
