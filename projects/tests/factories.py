"""Helpers for the tests of 民生实事码上通 (fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grid.models import Person, Region, Role, Unit
from projects.choices import Category, FundingSource, Status
from projects.models import Project


@dataclass
class Place:
    street: Region
    community: Region
    compound: Region
    housing: Unit  # the responsible unit of the test projects
    city: Unit  # another unit


def make_project(place: Place, **fields) -> Project:
    values = {
        "name": "测试小区老旧小区改造",
        "category": Category.OLD_COMPOUND,
        "unit": place.housing,
        "region": place.compound,
        "status": Status.BUILDING,
        "progress": 30,
        "budget": "860.50",
        "funding_source": FundingSource.CENTRAL,
        "planned_start": dt.date(2026, 3, 1),
        "planned_end": dt.date(2026, 12, 31),
        "actual_start": dt.date(2026, 3, 10),
        "location": "测试路 18 号",
        "description": "屋面防水、外墙翻新、雨污分流。",
        "supervision_phone": "0730-1234567",
    }
    values.update(fields)
    return Project.objects.create(**values)


def make_person(username: str, phone: str | None, *roles: tuple) -> User:
    user = User.objects.create_user(username, password="pw")
    person = Person.objects.create(user=user, phone=phone, name=username)
    for kind, unit in roles:
        Role.objects.create(person=person, kind=kind, unit=unit)
    return user


def login(client, user: User):
    client.force_login(user)
    return client


def image_upload(name: str = "site.jpg", size: tuple[int, int] = (64, 48), fmt: str = "JPEG") -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def rate(client, project: Project, satisfaction: str = "满意", comment: str = "", ip: str = "10.0.0.1", **files):
    """Post the rating form of a project's page as a resident would."""
    data = {"satisfaction": satisfaction, "comment": comment, **files}
    return client.post(f"/p/{project.code}/rate/", data, REMOTE_ADDR=ip)
