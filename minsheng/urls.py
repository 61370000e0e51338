from django.contrib import admin
from django.urls import include, path, re_path

from cases import open311
from cases import views as cases_views
from grid import views as grid_views
from minsheng import views
from minsheng.api import api
from ops import health, media

admin.site.site_header = "民生服务平台 管理后台"
admin.site.site_title = "民生服务平台"

urlpatterns = [
    path("admin/login/", grid_views.admin_login),  # one sign-in page for everyone: /login/
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("elder/", views.elder_mode, name="elder"),
    path("login/", grid_views.login_view, name="login"),
    path("login/code/", grid_views.login_code, name="login_code"),
    path("logout/", grid_views.logout_view, name="logout"),
    path("cases/", include("cases.urls")),
    path("dashboard/", include("dashboard.urls")),
    re_path(r"^open311/v2/services\.(?P<fmt>json|xml)$", open311.services),
    re_path(r"^open311/v2/services/(?P<code>[\w-]+)\.(?P<fmt>json|xml)$", open311.service_definition),
    re_path(r"^open311/v2/requests\.(?P<fmt>json|xml)$", open311.requests),
    re_path(r"^open311/v2/requests/(?P<number>[\w-]+)\.(?P<fmt>json|xml)$", open311.request_detail),
    path("work/", cases_views.work, name="work"),
    path("media/<path:path>", media.serve, name="media"),  # access-checked, see ops/media.py
    path("healthz", health.healthz, name="healthz"),
    path("p/", include("projects.urls")),
    path("search/", include("search.urls")),
    path("guide/bundles/", include("bundles.urls")),  # before guide's guide/<code>/
    path("", include("guide.urls")),
]
