"""What search keeps in the database: the residents' words it knows, the searches made, and a version counter."""

from django.db import models


class Synonym(models.Model):
    """A resident's word and the catalog words it means (群众说法 → 规范用语), used by search."""

    phrase = models.CharField("群众说法", max_length=32, unique=True, help_text="居民会输入的词，如“生娃”“冒得”")
    means = models.CharField("规范用语", max_length=255, help_text="它指的规范词，空格分隔，如“出生 生育”")
    note = models.CharField("备注", max_length=255, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = verbose_name_plural = "搜索同义词"

    def __str__(self) -> str:
        return f"{self.phrase} → {self.means}"


class SearchIndexVersion(models.Model):
    """One row whose counter moves whenever searchable content changes.

    Every worker process compares it with the version its in-memory indexes were
    built from (at most every few seconds) and rebuilds when it moved.
    """

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "搜索索引版本"

    def __str__(self) -> str:
        return str(self.version)


class SearchLog(models.Model):
    """One search, anonymous: the words, how many results, and what (if anything) was clicked."""

    class Source(models.TextChoices):
        PAGE = "page", "网页"
        API = "api", "接口"

    created = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    query = models.CharField("搜索词", max_length=100)
    normalized = models.CharField("规范化搜索词", max_length=100, db_index=True)
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.PAGE)
    result_count = models.PositiveSmallIntegerField("结果数")
    fallback = models.BooleanField("无匹配（显示相近与热门）", default=False)
    top_code = models.CharField("第一个结果", max_length=16, blank=True)
    clicked_code = models.CharField("点击的结果", max_length=16, blank=True)
    clicked_rank = models.PositiveSmallIntegerField("点击的名次", null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = verbose_name_plural = "搜索记录"

    def __str__(self) -> str:
        return self.query
