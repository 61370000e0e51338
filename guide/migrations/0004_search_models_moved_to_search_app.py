"""Synonym, SearchLog and SearchIndexVersion now belong to the search app (see search/0001).

Only guide's migration state forgets them here; search/0001 already took over
and renamed their tables, so nothing is dropped.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("guide", "0003_catalog_schema_citations_review_history"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SearchIndexVersion"),
                migrations.DeleteModel(name="SearchLog"),
                migrations.DeleteModel(name="Synonym"),
            ],
        ),
    ]
