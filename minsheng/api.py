"""The JSON API: one NinjaAPI, each domain app contributes a router (OpenAPI at /api/docs)."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from cases.api import router as cases_router
from dashboard.api import router as dashboard_router
from guide.api import router as guide_router
from projects.api import router as projects_router


class ChineseJSONRenderer(JSONRenderer):
    """Chinese text as itself, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(title="民生服务平台 API", version="1.0", urls_namespace="api", renderer=ChineseJSONRenderer())
api.add_router("/guide/", guide_router)
api.add_router("/cases/", cases_router)
api.add_router("/projects/", projects_router)
api.add_router("/dashboard/", dashboard_router)
