"""`make test` runs pytest with the testpaths of pyproject.toml: an app whose tests are not listed
there would silently never run in CI."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_apps_tests_are_in_the_suite():
    testpaths = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"][
        "testpaths"
    ]
    apps_with_tests = {p.parent.name for p in ROOT.glob("*/tests") if p.is_dir()}
    assert apps_with_tests <= set(testpaths), sorted(apps_with_tests - set(testpaths))
