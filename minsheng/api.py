"""The JSON API: one NinjaAPI, each domain app contributes a router (OpenAPI at /api/docs)."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from bundles.api import router as bundles_router
from cases.api import router as cases_router
from core.ratelimit import RateLimited
from dashboard.api import router as dashboard_router
from guide.api import router as guide_router
from projects.api import router as projects_router
from search.api import router as search_router


class ChineseJSONRenderer(JSONRenderer):
    """Chinese text as itself, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(title="民生服务平台 API", version="1.0", urls_namespace="api", renderer=ChineseJSONRenderer())


@api.exception_handler(RateLimited)
def too_many(request, exc: RateLimited):
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


api.add_router("/guide/", guide_router)
api.add_router("/guide/", search_router)  # /api/guide/search, where it was before search had its own app
api.add_router("/guide/bundles", bundles_router)
api.add_router("/cases/", cases_router)
api.add_router("/projects/", projects_router)
api.add_router("/dashboard/", dashboard_router)
