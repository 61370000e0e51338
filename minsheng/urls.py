from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from minsheng import views
from minsheng.api import api

admin.site.site_header = "民生服务平台 管理后台"
admin.site.site_title = "民生服务平台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("elder/", views.elder_mode, name="elder"),
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", include("guide.urls")),
]
