"""The demo projects: at least 30 across the categories, with progress and ratings, all marked 演示数据."""

import pytest

from grid.models import Person, Region, Unit
from projects.choices import Category, Review
from projects.demo import load_demo_projects
from projects.models import ProgressUpdate, Project, ProjectPhoto, Rating

pytestmark = pytest.mark.django_db


def test_demo_projects_cover_every_category_with_progress_and_ratings(media):
    count = load_demo_projects()
    projects = Project.objects.all()
    assert count == projects.count() >= 30
    assert set(projects.values_list("category", flat=True)) == set(Category.values)
    assert not projects.filter(is_demo=False).exists()
    assert ProgressUpdate.objects.count() >= 60 and ProjectPhoto.objects.exists()
    assert Rating.objects.count() >= 200 and not Rating.objects.filter(is_demo=False).exists()
    assert Rating.objects.filter(review=Review.PENDING).exists()
    assert Rating.objects.filter(hidden=True).exclude(hidden_reason="").exists()
    for project in projects:
        updates = list(project.updates.order_by("date", "id"))
        if updates:
            assert updates[-1].percent == project.progress and updates[-1].status == project.status
        project.full_clean()


def test_loading_twice_changes_nothing(media):
    load_demo_projects()
    before = (Project.objects.count(), ProgressUpdate.objects.count(), Rating.objects.count(), Person.objects.count())
    codes = set(Project.objects.values_list("code", flat=True))
    assert load_demo_projects() == before[0]
    after = (Project.objects.count(), ProgressUpdate.objects.count(), Rating.objects.count(), Person.objects.count())
    assert after == before and set(Project.objects.values_list("code", flat=True)) == codes


def test_demo_residents_have_phones_1390000xxxx_and_are_marked(media):
    load_demo_projects()
    residents = Person.objects.filter(phone__startswith="139000010")
    assert residents.count() == 60 and not residents.filter(is_demo=False).exists()
    assert set(Rating.objects.values_list("phone", flat=True)) <= set(residents.values_list("phone", flat=True))


def test_demo_uses_the_demo_district_when_it_is_there(media):
    from demo.district import load_district

    load_district()
    load_demo_projects()
    project = Project.objects.get(name="观澜苑老旧小区改造")
    assert project.region == Region.objects.get(name="观澜苑", is_demo=True)
    assert project.unit.code == "U09"
    assert Project.objects.get(name="观澜社区微花园").unit.code == "SQ01"


def test_demo_creates_what_it_lacks_and_marks_it(media):
    Unit.objects.filter(code="U09").update(code="X09")  # as if the reference data were not loaded
    load_demo_projects()
    unit = Project.objects.get(name="观澜苑老旧小区改造").unit
    assert unit.is_demo and "演示数据" in unit.name


def test_demo_projects_say_so_on_their_page(client, media):
    load_demo_projects()
    project = Project.objects.order_by("id").first()
    assert "演示数据" in client.get(f"/p/{project.code}/").content.decode()
    assert "演示数据" in client.get("/p/").content.decode()
