from django.conf import settings


def elder_mode(request):
    """Pages render larger and simpler in 长辈版; the choice lives in one cookie."""
    return {"elder": request.COOKIES.get(settings.ELDER_COOKIE) == "1"}
