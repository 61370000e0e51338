"""Moving the search models out of guide keeps their rows and the permissions granted on them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_synonyms_and_logs_survive_the_move_to_the_search_app():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before = [("guide", "0003_catalog_schema_citations_review_history"), ("search", None)]
    executor.migrate(before)
    old = executor.loader.project_state(
        [
            ("guide", "0003_catalog_schema_citations_review_history"),
            *(node for node in latest if node[0] in ("auth", "contenttypes")),
        ]
    ).apps
    old.get_model("guide", "Synonym").objects.create(phrase="迁移前的说法", means="父亲")
    old.get_model("guide", "SearchLog").objects.create(query="测试", normalized="测试", result_count=1)
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="guide", model="synonym"
    )[0]
    Permission = old.get_model("auth", "Permission")
    permission = Permission.objects.get_or_create(
        content_type=content_type, codename="change_synonym", defaults={"name": "Can change 搜索同义词"}
    )[0]

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from django.contrib.auth.models import Permission as CurrentPermission

    from search.models import SearchLog, Synonym

    assert Synonym.objects.get(phrase="迁移前的说法").means == "父亲"
    assert SearchLog.objects.filter(query="测试").exists()
    assert CurrentPermission.objects.get(pk=permission.pk).content_type.app_label == "search"
    assert "search_synonym" in connection.introspection.table_names()
    assert "guide_synonym" not in connection.introspection.table_names()
