"""The question flow (情形引导): walks a matter's question tree with the answers given so far.

Answers travel in the URL as `question_key=option_key`, so the back button, a
shared link and "change this answer" all work with no server-side state. Keys
start with a letter; `_change` (never a key) asks one answered question again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from guide.models import Matter, Option, Question, Situation

CHANGE_PARAM = "_change"


@dataclass
class Answer:
    question: Question
    option: Option


@dataclass
class FlowState:
    """Where a resident stands in a matter's flow."""

    matter: Matter
    answers: list[Answer] = field(default_factory=list)
    question: Question | None = None  # the question to ask now
    current_option: Option | None = None  # preselected when changing an answer
    situation: Situation | None = None  # reached when the flow is complete
    stale_question: Question | None = None  # an answer in the URL that no longer fits
    remaining: int = 0  # questions still ahead on the longest path, this one included

    @property
    def complete(self) -> bool:
        return self.situation is not None

    @property
    def step_number(self) -> int:
        return len(self.answers) + 1

    @property
    def total_steps(self) -> int:
        return len(self.answers) + self.remaining

    @property
    def percent(self) -> int:
        total = self.total_steps
        return 100 if not total else round(100 * len(self.answers) / total)

    def query(self, upto: int | None = None, **extra: str) -> str:
        """The answers as a query string (only those on the path, so links stay canonical)."""
        pairs = [(a.question.key, a.option.key) for a in self.answers[:upto]]
        pairs += list(extra.items())
        return urlencode(pairs)

    @property
    def changes(self) -> list[tuple[Answer, str]]:
        """Each answer with the query string that asks its question again, keeping the others."""
        return [(a, self.query(**{CHANGE_PARAM: a.question.key})) for a in self.answers]


class MatterFlow:
    """A matter's question tree loaded in three queries, walked in memory."""

    def __init__(self, matter: Matter):
        self.matter = matter

    @cached_property
    def questions(self) -> dict[int, Question]:
        questions = {q.id: q for q in Question.objects.filter(matter=self.matter)}
        options = Option.objects.filter(question__matter=self.matter).select_related("situation")
        for q in questions.values():
            q.loaded_options = []  # type: ignore[attr-defined]
        for option in options:
            questions[option.question_id].loaded_options.append(option)  # type: ignore[attr-defined]
        return questions

    @cached_property
    def situations(self) -> list[Situation]:
        return list(Situation.objects.filter(matter=self.matter))

    def options_of(self, question: Question) -> list[Option]:
        return question.loaded_options  # type: ignore[attr-defined]

    def depth(self, question: Question, seen: frozenset[int] = frozenset()) -> int:
        """Questions on the longest path from here (cycles are cut; guide_audit reports them)."""
        deeper = [
            self.depth(self.questions[o.next_question_id], seen | {question.id})
            for o in self.options_of(question)
            if o.next_question_id in self.questions and o.next_question_id not in seen | {question.id}
        ]
        return 1 + max(deeper, default=0)

    def walk(self, given: Mapping[str, str]) -> FlowState:
        state = FlowState(matter=self.matter)
        change = given.get(CHANGE_PARAM)
        question = self.questions.get(self.matter.first_question_id)  # type: ignore[arg-type]
        if question is None:
            # A matter with a single situation needs no questions.
            if len(self.situations) == 1:
                state.situation = self.situations[0]
            return state
        visited: set[int] = set()
        while question is not None and question.id not in visited:
            visited.add(question.id)
            chosen_key = given.get(question.key)
            options = {o.key: o for o in self.options_of(question)}
            chosen = options.get(chosen_key) if chosen_key else None
            if chosen_key and chosen is None:
                state.stale_question = question
            if chosen is None or change == question.key:
                state.question = question
                state.current_option = chosen
                state.remaining = self.depth(question)
                return state
            state.answers.append(Answer(question, chosen))
            if chosen.situation_id:
                state.situation = chosen.situation
                return state
            question = self.questions.get(chosen.next_question_id)  # type: ignore[arg-type]
        # An option that leads nowhere (or a loop): guide_audit reports these; the
        # resident sees the last question again rather than an error page.
        last = state.answers.pop() if state.answers else None
        state.question = last.question if last else None
        state.stale_question = state.question
        state.remaining = 1
        return state
