"""A bundle's questions, asked once: shared answers go into every matter's own flow (guide.flow).

Answers travel in the URL like a matter's: a shared question as `key=option`,
a question only one matter asks as `CODE.key=option` (GA01.follow_whom=mother).
Each pass of the walk takes one answer: it runs every matter's own flow
(guide.flow.MatterFlow) with what is known so far and looks at the first
matter that still needs something. If a shared question stands for what that
matter asks, the shared question is asked (once, for all matters it maps to);
otherwise the matter's own question is. `_change=<parameter>` asks one
answered question again, keeping the others.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from bundles.models import Bundle, Component, SharedOption, SharedQuestion
from guide.flow import CHANGE_PARAM, FlowState, MatterFlow
from guide.models import Matter, Situation

PARAM_RE = re.compile(r"^(?:[A-Z][A-Z0-9]{1,15}\.)?[a-z][a-z0-9_]{0,39}$")


@dataclass
class Choice:
    key: str
    label: str


@dataclass
class Asked:
    """The question to ask now: a shared one (matter is None) or one matter's own."""

    param: str
    text: str
    help_text: str
    options: list[Choice]
    matter: Matter | None = None
    current: str = ""  # the answer given before, preselected when changing it
    stale: bool = False  # the link held an answer that no longer fits


@dataclass
class Answer:
    param: str
    question: str
    option: str  # its key
    label: str
    matter: Matter | None = None  # None: a shared answer


@dataclass
class Step:
    """One component matter on the way: skipped, done (its situation), or still open."""

    component: Component
    flow: FlowState | None  # None when an answer made the matter unnecessary

    @property
    def matter(self) -> Matter:
        return self.component.matter

    @property
    def skipped(self) -> bool:
        return self.flow is None

    @property
    def situation(self) -> Situation | None:
        return self.flow.situation if self.flow else None

    @property
    def unresolved(self) -> bool:
        """The matter's own flow cannot finish (a catalog problem guide_audit reports)."""
        return self.flow is not None and not self.flow.complete and self.flow.question is None


@dataclass
class BundleState:
    bundle: Bundle
    steps: list[Step] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    question: Asked | None = None
    remaining: int = 0  # questions still ahead on the longest paths, the current one included

    @property
    def complete(self) -> bool:
        return self.question is None

    @property
    def step_number(self) -> int:
        return len(self.answers) + 1

    @property
    def percent(self) -> int:
        total = len(self.answers) + self.remaining
        return 100 if not total else round(100 * len(self.answers) / total)

    @property
    def active_steps(self) -> list[Step]:
        return [s for s in self.steps if not s.skipped]

    @property
    def skipped_steps(self) -> list[Step]:
        return [s for s in self.steps if s.skipped]

    def query(self, upto: int | None = None, **extra: str) -> str:
        """The answers as a query string, in the order they were given."""
        return urlencode([(a.param, a.option) for a in self.answers[:upto]] + list(extra.items()))

    @property
    def changes(self) -> list[tuple[Answer, str]]:
        return [(a, self.query(**{CHANGE_PARAM: a.param})) for a in self.answers]

    @property
    def back(self) -> str | None:
        """The query of the previous question (None on the first)."""
        return self.query(upto=len(self.answers) - 1) if self.answers else None


class BundleFlow:
    """A bundle with its matters' question trees, loaded once and walked in memory."""

    def __init__(self, bundle: Bundle):
        self.bundle = bundle

    @cached_property
    def components(self) -> list[Component]:
        components = self.bundle.components.select_related("matter__department").prefetch_related("presets")
        return list(components.order_by("stage", "order", "id"))

    @cached_property
    def presets(self) -> dict[str, dict[str, str]]:
        return {c.matter.code: {p.question_key: p.option_key for p in c.presets.all()} for c in self.components}

    @cached_property
    def flows(self) -> dict[str, MatterFlow]:
        return {c.matter.code: MatterFlow(c.matter) for c in self.components}

    @cached_property
    def questions(self) -> list[SharedQuestion]:
        """Shared questions with their options, each option's answers as {matter code: {question: option}}."""
        code_of = {c.pk: c.matter.code for c in self.components}
        questions = list(self.bundle.questions.prefetch_related("options__answers"))
        for q in questions:
            q.loaded_options = list(q.options.all())  # type: ignore[attr-defined]
            q.targets = set()  # type: ignore[attr-defined]
            q.skippable = {code for o in q.loaded_options for code in o.skip_codes}  # type: ignore[attr-defined]
            for o in q.loaded_options:  # type: ignore[attr-defined]
                o.mapping = defaultdict(dict)  # type: ignore[attr-defined]
                for a in o.answers.all():
                    o.mapping[code_of[a.component_id]][a.question_key] = a.option_key  # type: ignore[attr-defined]
                    q.targets.add((code_of[a.component_id], a.question_key))  # type: ignore[attr-defined]
        return questions

    @cached_property
    def shared_for(self) -> dict[tuple[str, str], SharedQuestion]:
        """Which shared question stands for each (matter, question) it answers."""
        return {target: q for q in self.questions for target in q.targets}  # type: ignore[attr-defined]

    def walk(self, given: Mapping[str, str]) -> BundleState:
        state = BundleState(bundle=self.bundle)
        change = given.get(CHANGE_PARAM, "")
        shared: dict[str, SharedOption] = {}
        own: dict[str, dict[str, str]] = defaultdict(dict)  # answers to one matter's own questions
        for _ in range(len(self.questions) + sum(len(f.questions) for f in self.flows.values()) + 1):
            state.steps = self._steps(shared, own)
            state.remaining = sum(s.flow.remaining for s in state.steps if s.flow and not s.flow.complete)
            pending, stop = self._next(state.steps, shared)
            if pending is not None:
                options = {o.key: o for o in pending.loaded_options}  # type: ignore[attr-defined]
                chosen = options.get(given.get(pending.key, ""))
                if chosen is not None and change != pending.key:
                    shared[pending.key] = chosen
                    state.answers.append(Answer(pending.key, pending.text, chosen.key, chosen.label))
                    continue
                state.question = Asked(
                    param=pending.key,
                    text=pending.text,
                    help_text=pending.help_text,
                    options=[Choice(o.key, o.label) for o in options.values()],
                    current=chosen.key if chosen else "",
                    stale=bool(given.get(pending.key)) and chosen is None,
                )
                state.remaining += 1
                return state
            if stop is None:
                return state  # every matter reached its situation (or was skipped)
            matter, question = stop.matter, stop.flow.question
            param = f"{matter.code}.{question.key}"
            options = {o.key: o for o in stop.flow.flow_options}  # type: ignore[attr-defined]
            chosen = options.get(given.get(param, ""))
            if chosen is not None and change != param:
                own[matter.code][question.key] = chosen.key
                state.answers.append(Answer(param, question.text, chosen.key, chosen.label, matter))
                continue
            state.question = Asked(
                param=param,
                text=question.text,
                help_text=question.help_text,
                options=[Choice(o.key, o.label) for o in options.values()],
                matter=matter,
                current=chosen.key if chosen else "",
                stale=(bool(given.get(param)) and chosen is None) or stop.flow.stale_question is not None,
            )
            return state
        return state  # pragma: no cover - every pass takes an answer or returns

    def _next(self, steps: list[Step], shared: dict[str, SharedOption]):
        """(shared question to ask, step whose own question is next); either may be None.

        Matters are taken in order. A question that can make a matter
        unnecessary is asked before that matter's own questions; otherwise the
        first open matter's question is next, through the shared question that
        stands for it if there is one.
        """
        open_questions = [q for q in self.questions if q.key not in shared]
        for step in steps:
            if step.skipped:
                continue
            skipper = next((q for q in open_questions if step.matter.code in q.skippable), None)  # type: ignore[attr-defined]
            if skipper is not None:
                return skipper, None
            if step.flow.complete or step.flow.question is None:
                continue
            standing = self.shared_for.get((step.matter.code, step.flow.question.key))
            if standing is not None and standing.key not in shared:
                return standing, step
            return None, step  # its own question (or a shared answer that no longer fits it)
        return None, None

    def _steps(self, shared: dict[str, SharedOption], own: dict[str, dict[str, str]]) -> list[Step]:
        skipped = {code for o in shared.values() for code in o.skip_codes}
        steps = []
        for component in self.components:
            code = component.matter.code
            if code in skipped:
                steps.append(Step(component, None))
                continue
            carried = {**self.presets[code], **own[code]}
            for option in shared.values():
                carried.update(option.mapping.get(code, {}))  # type: ignore[attr-defined]
            flow = self.flows[code]
            state = flow.walk(carried)
            if state.question is not None:
                state.flow_options = flow.options_of(state.question)  # type: ignore[attr-defined]
            steps.append(Step(component, state))
        return steps


def answers_from(params: Mapping[str, str]) -> dict[str, str]:
    """The bundle answers in a query string or JSON body (other parameters are not answers)."""
    return {
        key: value
        for key, value in params.items()
        if (PARAM_RE.match(key) or key == CHANGE_PARAM) and isinstance(value, str) and len(value) <= 56
    }
