"""Bundles need the shipped catalog and bundle files in the database (a transactional test may have flushed them)."""

import pytest
from django.core.management import call_command


@pytest.fixture
def shipped(db):
    from bundles.models import Bundle
    from guide.models import Matter

    if not Matter.objects.filter(code="GA01").exists():
        call_command("load_catalog", verbosity=0)
    if not Bundle.objects.exists():
        call_command("load_bundles", verbosity=0)
    return Bundle.objects.all()
