"""Every shipped bundle, walked page by page from its first question to the merged checklist."""

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from django.conf import settings

PATHS = yaml.safe_load((Path(__file__).parent / "data" / "paths.yaml").read_text(encoding="utf-8"))

pytestmark = pytest.mark.django_db


def test_every_shipped_bundle_has_a_flow_test():
    shipped = {p.stem for p in Path(settings.BUNDLES_DIR).glob("*.yaml")}
    assert shipped and shipped <= {p["bundle"] for p in PATHS}


@pytest.mark.parametrize("path", PATHS, ids=[f"{p['bundle']}:{p['name']}" for p in PATHS])
def test_a_resident_answers_each_question_once_and_gets_one_merged_checklist(client, shipped, path):
    url = f"/guide/bundles/{path['bundle']}/ask/"
    given: list[tuple[str, str]] = []
    asked = []
    for param, option in path["answers"]:
        page = client.get(url, given)
        assert page.status_code == 200, (param, page.status_code)
        html = page.content.decode()
        assert f'name="{param}" value="{option}"' in html, f"expected question {param}"
        asked.append(param)
        given.append((param, option))
    assert len(asked) == len(set(asked))  # nothing is asked twice
    done = client.get(url, given)
    assert done.status_code == 302 and done["Location"].startswith(f"/guide/bundles/{path['bundle']}/checklist/?")
    checklist = client.get(done["Location"])
    assert checklist.status_code == 200
    html = checklist.content.decode()
    reached = {s.matter.code: s.situation.key for s in checklist.context["state"].steps if s.situation}
    assert reached == path["situations"]
    for code in path["situations"]:
        assert f'data-testid="situation-{code}"' in html
    assert sorted(s.matter.code for s in checklist.context["state"].skipped_steps) == sorted(path["skipped"])
    merged = checklist.context["checklist"]
    shared = {item.key: item for item in merged.shared_items}
    for name in path["shared"]:
        item = shared[name]
        assert len({u.step.matter.code for u in item.uses}) >= 2
        section = html.split('data-testid="shared-materials"')[1].split("</ol>")[0]
        assert name in section
    names = [item.key for item in merged.items]
    assert len(names) == len(set(names))  # each material once


def test_the_merged_checklist_lists_a_shared_material_once_with_every_use(client, shipped):
    path = PATHS[0]
    page = client.get(f"/guide/bundles/{path['bundle']}/checklist/?" + urlencode([tuple(a) for a in path["answers"]]))
    html = page.content.decode()
    shared = html.split('data-testid="shared-materials"')[1].split("</ol>")[0]
    assert shared.count('<h3 class="mat-name">《居民身份证》') == 1
    for matter in ["出生登记（新生儿落户）", "城乡居民基本医疗保险参保登记", "出生医学证明首次签发"]:
        assert matter in shared
    assert "办好就有" in html  # 出生医学证明 comes from step 1
    assert re.search(r"第 2 步（这 \d 件可以同时办）", html)
