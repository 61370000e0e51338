"""The search models move here from guide with their rows: the tables are renamed, not copied.

The models are created in this app's state over guide's existing tables
(guide_synonym …), then AlterModelTable renames the tables to this app's
names; guide/0003 drops them from guide's state. Content types move too, so
permissions granted on synonyms and search logs stay granted.
"""

from django.db import migrations, models

MODELS = ("synonym", "searchindexversion", "searchlog")


def move_content_types(apps, schema_editor, source="guide", target="search"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="search", target="guide")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("guide", "0002_search"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchIndexVersion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("version", models.PositiveBigIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "搜索索引版本",
                        "verbose_name_plural": "搜索索引版本",
                        "db_table": "guide_searchindexversion",
                    },
                ),
                migrations.CreateModel(
                    name="SearchLog",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                        ("query", models.CharField(max_length=100, verbose_name="搜索词")),
                        ("normalized", models.CharField(db_index=True, max_length=100, verbose_name="规范化搜索词")),
                        (
                            "source",
                            models.CharField(
                                choices=[("page", "网页"), ("api", "接口")],
                                default="page",
                                max_length=8,
                                verbose_name="来源",
                            ),
                        ),
                        ("result_count", models.PositiveSmallIntegerField(verbose_name="结果数")),
                        ("fallback", models.BooleanField(default=False, verbose_name="无匹配（显示相近与热门）")),
                        ("top_code", models.CharField(blank=True, max_length=16, verbose_name="第一个结果")),
                        ("clicked_code", models.CharField(blank=True, max_length=16, verbose_name="点击的结果")),
                        ("clicked_rank", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="点击的名次")),
                    ],
                    options={
                        "verbose_name": "搜索记录",
                        "verbose_name_plural": "搜索记录",
                        "ordering": ["-created"],
                        "db_table": "guide_searchlog",
                    },
                ),
                migrations.CreateModel(
                    name="Synonym",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "phrase",
                            models.CharField(
                                help_text="居民会输入的词，如“生娃”“冒得”", max_length=32, unique=True, verbose_name="群众说法"
                            ),
                        ),
                        (
                            "means",
                            models.CharField(
                                help_text="它指的规范词，空格分隔，如“出生 生育”", max_length=255, verbose_name="规范用语"
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=255, verbose_name="备注")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                    ],
                    options={
                        "verbose_name": "搜索同义词",
                        "verbose_name_plural": "搜索同义词",
                        "ordering": ["phrase"],
                        "db_table": "guide_synonym",
                    },
                ),
            ],
        ),
        # table=None: this app's own table names (search_synonym …), renamed in place.
        migrations.AlterModelTable(name="searchindexversion", table=None),
        migrations.AlterModelTable(name="searchlog", table=None),
        migrations.AlterModelTable(name="synonym", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
