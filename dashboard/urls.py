from django.urls import path, re_path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.yardstick, name="yardstick"),
    path("export.xlsx", views.export, name="export"),
    path("cases/", views.cases, name="cases"),
    path("cockpit/", views.cockpit, name="cockpit"),
    path("reports/", views.report_list, name="reports"),
    path("reports/now/", views.report_now, name="report_now"),
    re_path(
        r"^reports/(?P<month>\d{4}-\d{2})/(?P<scope>[\w-]+)\.(?P<fmt>pdf|xlsx)$", views.report_file, name="report_file"
    ),
]
