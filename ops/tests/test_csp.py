"""Every page carries a Content-Security-Policy: scripts only from our own files, no inline code."""

import re

from ops.csp import policy


def header(response) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in response["Content-Security-Policy"].split("; ")}


def test_pages_forbid_inline_and_foreign_scripts(client, db):
    csp = header(client.get("/"))
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]


def test_no_page_template_has_inline_script_or_event_handler():
    from pathlib import Path

    from django.conf import settings

    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=\"", re.IGNORECASE)
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_print_page_style_element_carries_the_nonce_of_its_response(client, test_catalog):
    response = client.get("/guide/TS01/checklist/lost/print/")
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in header(response)["style-src-elem"]
    assert (
        client.get("/guide/TS01/checklist/lost/print/")["Content-Security-Policy"]
        != response["Content-Security-Policy"]
    )


def test_pages_without_style_elements_get_no_nonce(client, db):
    assert "nonce-" not in client.get("/")["Content-Security-Policy"]


def test_report_only_mode_for_trying_a_stricter_policy(client, db, settings):
    settings.SECURE_CSP_REPORT_ONLY = True
    response = client.get("/")
    assert "Content-Security-Policy" not in response and "Content-Security-Policy-Report-Only" in response


def test_policy_text():
    assert policy({"default-src": ["'self'"], "style-src-elem": ["'self'"]}, "abc") == (
        "default-src 'self'; style-src-elem 'self' 'nonce-abc'"
    )
