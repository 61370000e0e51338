"""One checklist for a whole bundle: each material once with every use, and the order to go in.

Materials are the same material when they name the same document: the title
in 《》 (父母双方《居民身份证》 and 申请人《居民身份证》 are both 居民身份证),
or the whole name when there is no title. Each use keeps its own words,
original or copy and count, so nothing the windows ask for is lost. A
material an earlier step produces (the 《出生医学证明》 of step 1 for the
户口 of step 2) says so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from bundles.flow import BundleState
from bundles.models import Component
from guide.models import Material, Situation

TITLE_RE = re.compile(r"《([^》]+)》")
NECESSITY_ORDER = ["必要", "容缺", "非必要"]


def _plain(text: str) -> str:
    return re.sub(r"[\s《》]+", "", text)


def titles_of(names: list[str]) -> set[str]:
    """The document titles (in 《》) the materials of one checklist name."""
    return {_plain(t) for name in names for t in TITLE_RE.findall(name) if len(_plain(t)) >= 3}


def material_key(name: str, titles: set[str]) -> tuple[str, str]:
    """(identity, display name) of a material: the shortest document title it mentions, or itself.

    新生儿母亲的居民身份证, 《中华人民共和国居民身份证》 and 夫妻双方居民身份证信息
    are all 居民身份证; 《出生医学证明首次签发登记表》 is a form, not 出生医学证明; 婴幼儿户籍信息
    mentions no title and stays itself.
    """
    plain = _plain(name)
    own = [_plain(t) for t in TITLE_RE.findall(name)]
    # A titled document is another only if its title ends so (中华人民共和国居民身份证);
    # an untitled one is any title it mentions (新生儿母亲的居民身份证).
    found = [t for t in titles if any(o.endswith(t) for o in own)] if own else [t for t in titles if t in plain]
    if found:
        title = min(found, key=lambda t: (len(t), t))
        return title, f"《{title}》"
    return plain, name


@dataclass
class PlanStep:
    """A matter of the bundle with the situation the answers led to."""

    component: Component
    situation: Situation
    number: int = 0  # its place in the stage order (1, 2, …)

    @property
    def matter(self):
        return self.component.matter


@dataclass
class Use:
    step: PlanStep
    material: Material


@dataclass
class Item:
    """One material of the merged checklist and every matter that needs it."""

    key: str
    name: str
    uses: list[Use] = field(default_factory=list)
    produced_by: PlanStep | None = None  # an earlier step hands it out

    @property
    def shared(self) -> bool:
        return len({u.step.matter.code for u in self.uses}) > 1

    @property
    def necessity(self) -> str:
        return min((u.material.necessity for u in self.uses), key=_necessity_rank)

    @property
    def short_names(self) -> list[str]:
        """What residents call it, when that differs from its name."""
        names = (u.material.short_name for u in self.uses if u.material.short_name)
        return [n for n in dict.fromkeys(names) if n not in (self.key, self.name)]


def _necessity_rank(value: str) -> int:
    return NECESSITY_ORDER.index(value) if value in NECESSITY_ORDER else len(NECESSITY_ORDER)


@dataclass
class MergedChecklist:
    state: BundleState
    steps: list[PlanStep]
    items: list[Item]

    @property
    def stages(self) -> list[tuple[int, list[PlanStep]]]:
        """Steps by stage: the steps of one stage can be done at the same time."""
        by_stage: dict[int, list[PlanStep]] = defaultdict(list)
        for step in self.steps:
            by_stage[step.component.stage].append(step)
        return sorted(by_stage.items())

    @property
    def shared_items(self) -> list[Item]:
        return [i for i in self.items if i.shared]

    def own_items(self, step: PlanStep) -> list[Item]:
        return [i for i in self.items if not i.shared and i.uses[0].step is step]

    @property
    def per_step(self) -> list[tuple[PlanStep, list[Item]]]:
        return [(step, self.own_items(step)) for step in self.steps]

    @property
    def blank_forms(self) -> list[tuple[PlanStep, str]]:
        """The forms each window would hand out, which the one merged form (一表申请) stands in for."""
        return [
            (use.step, use.material.blank_form) for item in self.items for use in item.uses if use.material.blank_form
        ]

    @property
    def departments(self) -> list[str]:
        return list(dict.fromkeys(step.matter.department.name for step in self.steps))


def merge(state: BundleState) -> MergedChecklist:
    """The merged checklist of a completed walk (state.complete)."""
    reached = [s for s in state.steps if s.situation is not None]
    situations = {
        s.pk: s
        for s in Situation.objects.filter(pk__in=[s.situation.pk for s in reached])
        .select_related("matter__department")
        .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("order", "id")))
    }
    steps = [PlanStep(s.component, situations[s.situation.pk], number) for number, s in enumerate(reached, start=1)]
    titles = titles_of([m.name for step in steps for m in step.situation.materials.all()])
    items: dict[str, Item] = {}
    for step in steps:
        for material in step.situation.materials.all():
            key, name = material_key(material.name, titles)
            item = items.setdefault(key, Item(key, name))
            item.uses.append(Use(step, material))
    for item in items.values():
        users = {id(u.step) for u in item.uses}
        first_stage = min(u.step.component.stage for u in item.uses)
        item.produced_by = next(
            (
                s
                for s in steps
                if id(s) not in users and s.component.stage <= first_stage and item.key in _plain(s.matter.result_name)
            ),
            None,
        )
    ordered = sorted(items.values(), key=lambda i: (not i.shared, i.produced_by is not None))
    return MergedChecklist(state, steps, ordered)
