"""/p/<code>/ is what the QR code on a site board opens; staff pages live under /p/work/."""

from django.urls import path, register_converter

from projects import views
from projects.models import CODE_PATTERN


class ProjectCodeConverter:
    """Only strings that could be a project code reach the views ("work" never can)."""

    regex = CODE_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ProjectCodeConverter, "project_code")

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("work/", views.work_home, name="work"),
    path("work/moderation/", views.moderation, name="moderation"),
    path("work/moderation/<int:pk>/", views.moderate, name="moderate"),
    path("work/stats/", views.stats_page, name="stats"),
    path("work/stats.xlsx", views.stats_xlsx, name="stats_xlsx"),
    path("work/<project_code:code>/update/", views.work_update, name="update"),
    path("<project_code:code>/", views.detail, name="detail"),
    path("<project_code:code>/rate/", views.rate, name="rate"),
    path("<project_code:code>/report/", views.report, name="report"),
    path("<project_code:code>/qr.svg", views.qr_svg, name="qr_svg"),
    path("<project_code:code>/qr.png", views.qr_png, name="qr_png"),
    path("<project_code:code>/poster.pdf", views.poster, name="poster"),
]
