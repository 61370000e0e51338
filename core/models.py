"""Rows the platform keeps for itself: rate-limit buckets and worker heartbeats."""

from django.db import models
from django.utils import timezone


class RateBucket(models.Model):
    """A token bucket of the rate limiter (core.ratelimit); the key is a keyed hash, never a phone or address."""

    key = models.CharField("键", max_length=80, primary_key=True)
    tokens = models.FloatField("剩余次数")
    updated_at = models.DateTimeField("更新时间", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "频率限制"

    def __str__(self) -> str:
        return self.key


class Heartbeat(models.Model):
    """The last time a background worker finished a round; /healthz reports its age."""

    name = models.CharField("名称", max_length=64, primary_key=True)
    beat_at = models.DateTimeField("最近一次")
    detail = models.CharField("说明", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务心跳"

    def __str__(self) -> str:
        return f"{self.name} {timezone.localtime(self.beat_at):%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, name: str, detail: str = "") -> None:
        cls.objects.update_or_create(name=name, defaults={"beat_at": timezone.now(), "detail": detail[:255]})
