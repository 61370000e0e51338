"""The history nobody can rewrite: not through the models, the admin or the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from cases.models import CaseEvent

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted_through_the_models(new_case):
    event = new_case().events.get()
    event.note = "改写"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(pk=event.pk).update(note="改写")
    with pytest.raises(PermissionError):
        CaseEvent.objects.all().delete()


def test_the_database_refuses_an_update_of_an_event(new_case):
    event = new_case().events.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET note = 'x' WHERE id = %s", [event.pk])
    assert CaseEvent.objects.get(pk=event.pk).note != "x"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the delete trigger is PostgreSQL's (see the migration)")
def test_postgresql_refuses_a_delete_of_an_event(new_case):
    event = new_case().events.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_caseevent WHERE id = %s", [event.pk])


def test_even_a_superuser_cannot_edit_or_delete_events_in_the_admin(admin_client, new_case):
    event = new_case().events.get()
    assert admin_client.get(f"/admin/cases/caseevent/{event.pk}/delete/").status_code == 403
    response = admin_client.post(f"/admin/cases/caseevent/{event.pk}/change/", {"note": "改写"})
    assert response.status_code == 403
    assert CaseEvent.objects.get(pk=event.pk).note != "改写"


def test_every_transition_records_who_when_from_to_and_why(new_case, people):
    from cases import actions

    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门", note="城管负责")
    event = case.events.last()
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        people["dispatcher"],
        "new",
        "dispatched",
        "城管负责",
    )
    assert event.actor_label == "区综治中心" and event.at is not None
