"""The request hub's personas (cases/tests/conftest.py) and uploads in a temporary directory."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from cases.tests.conftest import grid, new_case, people, sms  # noqa: F401 — fixtures shared with cases


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary directory, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg(name: str = "photo.jpg", colour: str = "red") -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "JPEG")
    return ContentFile(out.getvalue(), name=name)
