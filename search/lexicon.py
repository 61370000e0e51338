"""The seed lexicon of residents' words (content/search/lexicon.yaml), loaded beside the catalog.

Entries from the file are created or updated by phrase; entries staff added in
the admin are left alone.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from search.models import Synonym


def read_lexicon(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(phrase, means) pairs and the problems found; a missing file is an empty lexicon."""
    if not path.exists():
        return [], []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [], [f"{path.name}: 无法读取：{exc}"]
    entries, problems, seen = [], [], set()
    for i, entry in enumerate(data.get("entries") or []):
        phrase = str((entry or {}).get("phrase") or "").strip()
        means = " ".join(str((entry or {}).get("means") or "").split())
        if not phrase or not means:
            problems.append(f"{path.name} › entries[{i}]: 需要 phrase 和 means")
        elif len(phrase) > 32 or len(means) > 255:
            problems.append(f"{path.name} › entries[{i}]: 太长了")
        elif phrase in seen:
            problems.append(f"{path.name} › entries[{i}]: 「{phrase}」重复")
        else:
            seen.add(phrase)
            entries.append((phrase, means))
    return entries, problems


def save_lexicon(entries: list[tuple[str, str]]) -> tuple[int, int]:
    """Create or update entries by phrase; returns (created, updated)."""
    existing = dict(Synonym.objects.values_list("phrase", "means"))
    created = updated = 0
    for phrase, means in entries:
        if phrase not in existing:
            Synonym.objects.create(phrase=phrase, means=means)
            created += 1
        elif existing[phrase] != means:
            Synonym.objects.filter(phrase=phrase).update(means=means)
            updated += 1
    return created, updated
