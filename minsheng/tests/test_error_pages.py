"""Error pages speak to whoever reached them, whatever page they were after."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/guide/XX99/", "/cases/public/260101-99999/", "/p/zzzzzzzz/", "/nowhere/"])
def test_not_found_says_what_may_have_happened_on_any_page(client, path):
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 404
    assert "没有找到这个页面" in page and "查诉求进度" in page and "登录" in page
    assert "事项或情形" not in page  # the old wording fitted the guide only


def test_not_found_for_someone_signed_in_does_not_offer_to_sign_in(client):
    client.force_login(User.objects.create_user("resident-404"))
    page = client.get("/nowhere/").content.decode()
    assert "没有找到这个页面" in page and 'href="/login/"' not in page


def test_an_expired_form_gets_a_chinese_page_that_says_to_submit_again():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"phone": "13900000001"})
    assert response.status_code == 403
    assert "页面已过期，请重新提交" in response.content.decode()
