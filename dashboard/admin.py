"""The yardstick's weights are edited here (one row); tallies and reports are the system's own."""

from django.contrib import admin
from django.shortcuts import redirect

from dashboard.models import Yardstick


@admin.register(Yardstick)
class YardstickAdmin(admin.ModelAdmin):
    fieldsets = [
        (
            "满意率：每档满意度计多少",
            {
                "fields": ["very_satisfied", "satisfied", "basically", "dissatisfied", "very_dissatisfied"],
                "description": "满意率 = Σ 各条评价的分值 ÷ 有满意度评价的诉求数。",
            },
        ),
        (
            "综合得分：三率的权重",
            {
                "fields": ["response_weight", "resolution_weight", "satisfaction_weight"],
                "description": "综合 = 响应率×权重 + 解决率×权重 + 满意率×权重；三个权重之和为 1。"
                "修改后所有月份的考评结果立即按新口径计算。",
            },
        ),
    ]

    def has_add_permission(self, request):
        return not Yardstick.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """One yardstick: the list opens it (or the form for it, before anyone has saved one)."""
        if Yardstick.objects.exists():
            return redirect("admin:dashboard_yardstick_change", 1)
        return redirect("admin:dashboard_yardstick_add")
