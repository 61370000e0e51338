"""Staff edit bundles in the admin; window staff (editor) may, residents may not."""

import pytest

from bundles.models import Bundle, Component, SharedOption, SharedQuestion

pytestmark = pytest.mark.django_db


def test_every_bundle_page_of_the_admin_opens(admin_client, shipped):
    bundle = Bundle.objects.get(code="newborn")
    question = SharedQuestion.objects.filter(bundle=bundle).first()
    pages = [
        "/admin/bundles/bundle/",
        f"/admin/bundles/bundle/{bundle.pk}/change/",
        f"/admin/bundles/sharedquestion/{question.pk}/change/",
        f"/admin/bundles/sharedoption/{SharedOption.objects.filter(question=question).first().pk}/change/",
        f"/admin/bundles/component/{Component.objects.filter(bundle=bundle).first().pk}/change/",
    ]
    for url in pages:
        assert admin_client.get(url).status_code == 200, url


def test_the_demo_editor_may_edit_bundles(shipped):
    from demo.accounts import ACCOUNTS

    editor = next(a for a in ACCOUNTS if a.username == "editor")
    assert "bundles.change_bundle" in editor.permissions and "bundles.change_answermapping" in editor.permissions


def test_a_resident_cannot_open_the_bundle_admin(client, shipped, django_user_model):
    resident = django_user_model.objects.create_user("resident-b", password="pw")
    client.force_login(resident)
    assert client.get("/admin/bundles/bundle/").status_code == 302
