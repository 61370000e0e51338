"""Region boundaries as GeoJSON geometries: checked on the way in, drawn by the cockpit's map.

Only what a grid map needs: Polygon and MultiPolygon in [longitude, latitude] order
(RFC 7946). No GIS library: the checks are structural, which is what keeps a bad
paste out of the map.
"""

from __future__ import annotations

MAX_POINTS = 20_000  # a community's outline needs hundreds; more is a mistake or a whole city


class GeometryError(ValueError):
    """A boundary that is not a usable GeoJSON polygon; the message says why, in Chinese."""


def _ring(ring, where: str) -> int:
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeometryError(f"{where}：每个环至少需要 4 个点（首尾相同）")
    for point in ring:
        if (
            not isinstance(point, list)
            or len(point) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])
        ):
            raise GeometryError(f"{where}：坐标应为 [经度, 纬度] 数字对")
        lng, lat = point[0], point[1]
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            raise GeometryError(f"{where}：坐标 [{lng}, {lat}] 超出经纬度范围（注意顺序是 [经度, 纬度]）")
    if ring[0][:2] != ring[-1][:2]:
        raise GeometryError(f"{where}：环的首尾两点必须相同")
    return len(ring)


def _polygon(rings, where: str) -> int:
    if not isinstance(rings, list) or not rings:
        raise GeometryError(f"{where}：多边形至少需要一个环")
    return sum(_ring(ring, f"{where}第 {i + 1} 个环") for i, ring in enumerate(rings))


def check_geometry(geometry) -> dict:
    """The geometry if it is a Polygon or MultiPolygon we can draw; GeometryError otherwise.

    A Feature is accepted too and reduced to its geometry.
    """
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict):
        raise GeometryError('边界应为 GeoJSON 几何对象，如 {"type": "Polygon", "coordinates": [...]}')
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        points = _polygon(coords, "多边形")
    elif kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise GeometryError("MultiPolygon 至少需要一个多边形")
        points = sum(_polygon(p, f"第 {i + 1} 个多边形") for i, p in enumerate(coords))
    else:
        raise GeometryError(f"只支持 Polygon 和 MultiPolygon，收到的是 {kind!r}")
    if points > MAX_POINTS:
        raise GeometryError(f"边界的点太多（{points} 个，最多 {MAX_POINTS} 个），请先简化")
    return {"type": kind, "coordinates": coords}


def rectangle(lng: float, lat: float, half_width: float, half_height: float) -> dict:
    """An axis-aligned rectangle around a point: enough for demo data and placeholders."""
    w, e, s, n = lng - half_width, lng + half_width, lat - half_height, lat + half_height
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def bounds(geometries) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) around all the given geometries, or None when there are none."""
    xs, ys = [], []
    for geometry in geometries:
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            for ring in polygon:
                xs.extend(p[0] for p in ring)
                ys.extend(p[1] for p in ring)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)
