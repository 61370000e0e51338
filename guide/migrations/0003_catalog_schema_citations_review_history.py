"""Issue 13: citations as data, time-limit units, per-situation visits, review cycle, dated
parameters, handling level and provincial codes, and the append-only catalog history.

Existing rows are carried over: the old legal-basis text is parsed into citations (lines
that do not parse are kept as a citation's free text), the matter's visits and online
depth go to each of its situations, and the old limits were working days.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    """CREATE TRIGGER guide_catalogchange_no_update BEFORE UPDATE ON guide_catalogchange
       BEGIN SELECT RAISE(ABORT, 'catalog history is append-only'); END""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION guide_catalogchange_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'catalog history is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER guide_catalogchange_no_change BEFORE UPDATE OR DELETE ON guide_catalogchange
       FOR EACH ROW EXECUTE FUNCTION guide_catalogchange_append_only()""",
]


def _citations(text):
    from guide.citations import CitationError, parse_citations

    out = []
    for line in (text or "").splitlines():
        try:
            out += parse_citations(line)
        except CitationError:
            if line.strip():
                out.append({"law": "", "version": "", "doc_no": "", "note": "", "provisions": [], "rest": line.strip()})
    return out


def carry_over(apps, schema_editor):
    Matter = apps.get_model("guide", "Matter")
    Situation = apps.get_model("guide", "Situation")
    ReviewPoint = apps.get_model("guide", "ReviewPoint")
    for m in Matter.objects.all():
        m.citations = _citations(m.legal_basis)
        m.handling_office = m.implementing_body
        m.legal_limit_unit = "工作日" if m.legal_limit_days else ""
        m.promised_limit_unit = "工作日" if m.promised_limit_days else ""
        m.save()
        Situation.objects.filter(matter=m).update(
            online_depth=m.online_depth, visits=m.visits, visit_reason=m.visit_reason
        )
    for rp in ReviewPoint.objects.all():
        rp.citations = _citations(rp.legal_basis)
        rp.save(update_fields=["citations"])


def create_triggers(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS guide_catalogchange_no_change ON guide_catalogchange")
        schema_editor.execute("DROP FUNCTION IF EXISTS guide_catalogchange_append_only()")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS guide_catalogchange_no_update")


class Migration(migrations.Migration):
    dependencies = [("guide", "0002_search")]

    operations = [
        migrations.AddField(
            model_name="matter",
            name="level",
            field=models.CharField(
                choices=[("区级", "区级"), ("市级", "市级"), ("省级", "省级")], default="区级", max_length=4, verbose_name="办理层级"
            ),
        ),
        migrations.AddField(
            model_name="matter",
            name="handling_office",
            field=models.CharField(
                default="", help_text="真正受理、审批的机构（市级事项写市级机构）", max_length=255, verbose_name="实际办理机构"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="matter",
            name="basic_code",
            field=models.CharField(blank=True, help_text="GB/T 39554.1-2020 政务服务事项基本编码", max_length=32, verbose_name="基本编码"),
        ),
        migrations.AddField(
            model_name="matter",
            name="implementation_code",
            field=models.CharField(blank=True, help_text="GB/T 39554.1-2020 实施编码", max_length=64, verbose_name="实施编码"),
        ),
        migrations.AddField(
            model_name="matter",
            name="citations",
            field=models.JSONField(default=list, help_text="每条：法规、版本、文号、条款", verbose_name="设定依据"),
        ),
        migrations.AddField(
            model_name="matter",
            name="legal_limit_unit",
            field=models.CharField(
                blank=True, choices=[("自然日", "自然日"), ("工作日", "工作日")], max_length=4, verbose_name="法定时限单位"
            ),
        ),
        migrations.AddField(
            model_name="matter",
            name="promised_limit_unit",
            field=models.CharField(
                blank=True, choices=[("自然日", "自然日"), ("工作日", "工作日")], max_length=4, verbose_name="承诺时限单位"
            ),
        ),
        migrations.AlterField(
            model_name="matter",
            name="legal_limit_days",
            field=models.PositiveIntegerField(blank=True, help_text="法律未规定时留空", null=True, verbose_name="法定时限"),
        ),
        migrations.AlterField(
            model_name="matter",
            name="promised_limit_days",
            field=models.PositiveIntegerField(help_text="0 表示即办", verbose_name="承诺时限"),
        ),
        migrations.AddField(
            model_name="matter", name="reviewed_by", field=models.CharField(blank=True, max_length=128, verbose_name="窗口复核人")
        ),
        migrations.AddField(
            model_name="matter",
            name="legal_reviewed_by",
            field=models.CharField(blank=True, max_length=128, verbose_name="法制审核人"),
        ),
        migrations.AddField(
            model_name="matter", name="reviewed_on", field=models.DateField(blank=True, null=True, verbose_name="复核日期")
        ),
        migrations.AddField(
            model_name="matter", name="next_review_due", field=models.DateField(blank=True, null=True, verbose_name="下次复核")
        ),
        migrations.AddField(
            model_name="matter",
            name="loaded_digest",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="载入时的内容指纹"),
        ),
        migrations.AddField(
            model_name="situation",
            name="online_depth",
            field=models.CharField(
                choices=[
                    ("I", "I 级 信息公开"),
                    ("II", "II 级 在线预约、表格下载"),
                    ("III", "III 级 在线申报、现场核验"),
                    ("IV", "IV 级 全程网办"),
                ],
                default="III",
                max_length=4,
                verbose_name="网办深度",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="situation",
            name="visits",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="到现场次数"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="situation", name="visit_reason", field=models.TextField(blank=True, verbose_name="到现场原因")
        ),
        migrations.AddField(
            model_name="reviewpoint", name="citations", field=models.JSONField(default=list, verbose_name="依据")
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.RemoveField(model_name="matter", name="legal_basis"),
        migrations.RemoveField(model_name="matter", name="online_depth"),
        migrations.RemoveField(model_name="matter", name="visits"),
        migrations.RemoveField(model_name="matter", name="visit_reason"),
        migrations.RemoveField(model_name="reviewpoint", name="legal_basis"),
        migrations.CreateModel(
            name="Parameter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("order", models.PositiveIntegerField(default=0, verbose_name="顺序")),
                ("key", models.SlugField(help_text="文字里写作 {标识}", max_length=40, verbose_name="标识")),
                ("label", models.CharField(max_length=128, verbose_name="名称")),
                ("value", models.CharField(max_length=255, verbose_name="取值")),
                ("effective_from", models.DateField(verbose_name="起始日期")),
                (
                    "effective_to",
                    models.DateField(blank=True, help_text="空表示仍然有效，直到另行调整", null=True, verbose_name="截止日期"),
                ),
                ("citations", models.JSONField(blank=True, default=list, verbose_name="依据")),
                (
                    "matter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="parameters", to="guide.matter"
                    ),
                ),
            ],
            options={"verbose_name": "时效参数", "verbose_name_plural": "时效参数", "ordering": ["order", "id"]},
        ),
        migrations.AddConstraint(
            model_name="parameter",
            constraint=models.UniqueConstraint(fields=("matter", "key"), name="parameter_key_unique_in_matter"),
        ),
        migrations.CreateModel(
            name="CatalogChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                ("actor", models.CharField(max_length=150, verbose_name="操作人")),
                (
                    "source",
                    models.CharField(
                        choices=[("admin", "后台编辑"), ("import", "Excel 导入"), ("load", "文件载入")],
                        max_length=8,
                        verbose_name="来源",
                    ),
                ),
                ("matter_code", models.CharField(db_index=True, max_length=16, verbose_name="事项编码")),
                (
                    "action",
                    models.CharField(
                        choices=[("create", "新增"), ("update", "修改"), ("delete", "删除")], max_length=8, verbose_name="操作"
                    ),
                ),
                ("before", models.JSONField(blank=True, null=True, verbose_name="修改前")),
                ("after", models.JSONField(blank=True, null=True, verbose_name="修改后")),
            ],
            options={"verbose_name": "目录修改记录", "verbose_name_plural": "目录修改记录", "ordering": ["-at", "-id"]},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
