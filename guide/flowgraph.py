"""Checks on a matter's question tree, shared by the catalog loader and guide_audit.

The tree is given as plain data so that it can be checked before anything is
written to the database (YAML files, Excel imports) and after (the admin).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FlowGraph:
    """One matter's flow: the first question, each question's options and the situations."""

    first: str | None
    # question key -> list of (option key, next question key or None, situation key or None)
    options: dict[str, list[tuple[str, str | None, str | None]]] = field(default_factory=dict)
    situations: set[str] = field(default_factory=set)

    def problems(self) -> list[str]:
        """Everything wrong with the flow, in words staff understand."""
        errors: list[str] = []
        if not self.options:
            if len(self.situations) > 1:
                errors.append("有多个情形但没有引导问题，居民无法选到具体情形")
            return errors
        if self.first not in self.options:
            errors.append("没有起始问题")
            return errors
        for question, opts in self.options.items():
            if not opts:
                errors.append(f"问题 {question} 没有选项（死路）")
            for key, nxt, situation in opts:
                if bool(nxt) == bool(situation):
                    errors.append(f"问题 {question} 的选项 {key} 必须且只能指向一个下一题或一个情形")
                elif nxt and nxt not in self.options:
                    errors.append(f"问题 {question} 的选项 {key} 指向不存在的问题 {nxt}")
                elif situation and situation not in self.situations:
                    errors.append(f"问题 {question} 的选项 {key} 指向不存在的情形 {situation}")
        errors += self._cycles_and_reach()
        return errors

    def _cycles_and_reach(self) -> list[str]:
        errors: list[str] = []
        seen_questions: set[str] = set()
        seen_situations: set[str] = set()
        on_path: list[str] = []

        def walk(question: str) -> None:
            if question in on_path:
                cycle = " → ".join(on_path[on_path.index(question) :] + [question])
                errors.append(f"问题形成循环：{cycle}")
                return
            if question in seen_questions:
                return
            seen_questions.add(question)
            on_path.append(question)
            for _key, nxt, situation in self.options.get(question, []):
                if nxt in self.options:
                    walk(nxt)
                if situation:
                    seen_situations.add(situation)
            on_path.pop()

        walk(self.first)  # type: ignore[arg-type]
        for question in sorted(set(self.options) - seen_questions):
            errors.append(f"问题 {question} 从起始问题走不到")
        for situation in sorted(self.situations - seen_situations):
            errors.append(f"情形 {situation} 从引导问题走不到")
        return errors
