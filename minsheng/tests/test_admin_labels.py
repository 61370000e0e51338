"""Staff read the admin in Chinese: every column header of every list is Chinese."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("model_admin", list(admin.site._registry.values()), ids=lambda ma: ma.model._meta.label)
def test_every_admin_column_header_is_chinese(model_admin):
    model = model_admin.model
    labels = {
        name if isinstance(name, str) else name.__name__: str(label_for_field(name, model, model_admin))
        for name in model_admin.list_display
    }
    english = {name: label for name, label in labels.items() if not HAN.search(label)}
    assert not english, f"{model._meta.label}: column headers without a Chinese name: {english}"
