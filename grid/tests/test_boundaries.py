"""Region codes and boundaries: GeoJSON checked on the way in (admin, load_boundaries), in Chinese."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from grid.geo import GeometryError, check_geometry, rectangle
from grid.models import Region

SQUARE = rectangle(113.0, 29.0, 0.001, 0.001)


def test_polygons_multipolygons_and_features_are_accepted():
    assert check_geometry(SQUARE) == SQUARE
    multi = {
        "type": "MultiPolygon",
        "coordinates": [SQUARE["coordinates"], rectangle(113.01, 29.0, 0.001, 0.001)["coordinates"]],
    }
    assert check_geometry(multi)["type"] == "MultiPolygon"
    assert check_geometry({"type": "Feature", "properties": {}, "geometry": SQUARE}) == SQUARE


@pytest.mark.parametrize(
    "geometry, message",
    [
        ({"type": "Point", "coordinates": [113, 29]}, "只支持 Polygon 和 MultiPolygon"),
        ({"type": "Polygon", "coordinates": []}, "至少需要一个环"),
        ({"type": "Polygon", "coordinates": [[[113, 29], [113.1, 29], [113, 29]]]}, "至少需要 4 个点"),
        (
            {"type": "Polygon", "coordinates": [[[113, 29], [113.1, 29], [113.1, 29.1], [113, 29.1]]]},
            "首尾两点必须相同",
        ),
        ({"type": "Polygon", "coordinates": [[[29, 113], [29.1, 113], [29.1, 113.1], [29, 113]]]}, "超出经纬度范围"),
        ({"type": "Polygon", "coordinates": [[["113", 29], [113.1, 29], [113.1, 29.1], ["113", 29]]]}, "数字对"),
        ("POLYGON((113 29, …))", "GeoJSON 几何对象"),
    ],
)
def test_bad_boundaries_are_refused_with_the_reason(geometry, message):
    with pytest.raises(GeometryError, match=message):
        check_geometry(geometry)


@pytest.mark.django_db
def test_the_admin_refuses_a_bad_boundary_and_keeps_a_good_one(admin_client):
    region = Region.objects.create(name="测试社区", kind="community")
    url = f"/admin/grid/region/{region.pk}/change/"
    form = {
        "name": "测试社区",
        "kind": "community",
        "code": "T-01",
        "boundary": json.dumps({"type": "Point", "coordinates": [1, 2]}),
    }
    response = admin_client.post(url, form)
    assert response.status_code == 200 and "只支持 Polygon 和 MultiPolygon" in response.content.decode()
    response = admin_client.post(url, {**form, "boundary": json.dumps(SQUARE)})
    assert response.status_code == 302
    region.refresh_from_db()
    assert (region.code, region.boundary) == ("T-01", SQUARE)


@pytest.mark.django_db
def test_regions_without_a_code_do_not_collide(admin_client):
    for name in ("甲", "乙"):
        assert (
            admin_client.post("/admin/grid/region/add/", {"name": name, "kind": "street", "code": ""}).status_code
            == 302
        )
    assert Region.objects.filter(code=None).count() == 2
    assert User.objects.filter(is_superuser=True).exists()


def feature(code, geometry=SQUARE):
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


@pytest.mark.django_db
def test_load_boundaries_checks_first_and_writes_only_with_commit(tmp_path):
    Region.objects.create(name="甲社区", kind="community", code="C1")
    path = tmp_path / "grid.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature("C1")]}), encoding="utf-8")
    call_command("load_boundaries", str(path))
    assert Region.objects.get(code="C1").boundary is None
    call_command("load_boundaries", str(path), "--commit")
    assert Region.objects.get(code="C1").boundary == SQUARE


@pytest.mark.django_db
def test_load_boundaries_with_any_error_writes_nothing(tmp_path, capsys):
    Region.objects.create(name="甲社区", kind="community", code="C1")
    Region.objects.create(name="乙社区", kind="community", code="C2")
    features = [
        feature("C1"),
        feature("C9"),
        feature(""),
        feature("C1"),
        feature("C2", {"type": "Point", "coordinates": [1, 2]}),
    ]
    path = tmp_path / "grid.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    with pytest.raises(CommandError, match="共 4 处错误，未写入任何边界"):
        call_command("load_boundaries", str(path), "--commit")
    err = capsys.readouterr().err
    assert "第 2 个要素：没有区划编码为 C9 的区域" in err and "第 3 个要素：properties 中缺少 code" in err
    assert "第 4 个要素：区划编码 C1 重复" in err and "第 5 个要素（C2）：只支持 Polygon" in err
    assert Region.objects.get(code="C1").boundary is None


@pytest.mark.django_db
def test_load_boundaries_refuses_what_is_not_geojson(tmp_path):
    path = tmp_path / "grid.geojson"
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(CommandError, match="不是 UTF-8 编码的 GeoJSON"):
        call_command("load_boundaries", str(path))
