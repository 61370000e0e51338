"""Property-based requests against the whole JSON API: no input, however odd, gets a server error.

schemathesis reads /api/openapi.json and generates requests for every operation (valid and invalid
ones), anonymously and as a signed-in dispatcher. Examples are bounded and derandomised, so CI runs
the same few hundred requests every time.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The real WSGI handler closes connections when a response is done, as Django's test client avoids."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def signed_in(db, client):
    """Headers of a signed-in dispatcher's browser session, CSRF token included."""
    from django.contrib.auth.models import User
    from django.middleware.csrf import _get_new_csrf_string

    from grid.models import Person, Role, Unit

    user = User.objects.create_user("fuzz-dispatcher", password="pw")
    person = Person.objects.create(user=user, phone="13800009999", name="调度员")
    Role.objects.create(person=person, kind=Role.Kind.DISPATCHER, unit=Unit.objects.get(code="U01"))
    client.force_login(user)
    token = _get_new_csrf_string()
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={token}", "X-CSRFToken": token}


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_anonymous_requests_never_get_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_signed_in_requests_never_get_a_server_error(case, signed_in):
    case.call_and_validate(checks=[not_a_server_error], headers=signed_in)
