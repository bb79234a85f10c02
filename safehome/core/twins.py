"""A checklist and its translation: the same checklist in every way but its words.

A translated checklist (``*.fr.yaml``) keeps the English file's ids, sections, conditions,
severities, tiers and scoring; only the texts a person reads change. ``drift`` lists where a
translation differs in anything else, each at its line, so that ``checklist validate`` can say
so before a French handout scores differently from the English one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safehome.core.loader import Issue, Lines, parse_yaml, where_in
from safehome.core.models import Checklist
from safehome.i18n.words import t

# the keys whose values are words for a person to read; every other value must be the same
TEXT_KEYS = frozenset(
    {
        "title",
        "description",
        "signs",
        "source",
        "text",
        "plain_title",
        "short_title",
        "intro",
        "prompt",
        "prompt_self",
        "statement",
        "action",
        "clinician_action",
        "why",
        "label",
        "unit",
        "min_label",
        "max_label",
        "language",
        "name",
        "solves",
        "sizing",
    }
)
_KEYED_LISTS = ("sections", "items", "choices", "equipment")  # lists whose entries are matched by their id (or value)


def twin_path(path: Path) -> Path:
    """Where the English twin of ``name.fr.yaml`` is: ``name.en.yaml`` beside it."""
    stem = path.name.removesuffix(".yaml").removesuffix(".yml")
    base = stem.rsplit(".", 1)[0] if "." in stem else stem
    return path.with_name(f"{base}.en.yaml")


def drift(english: Checklist, translated: Checklist, text: str, file: str) -> list[Issue]:
    """Where ``translated`` (read from ``text``, named ``file``) differs from ``english`` other than in words."""
    data, lines = parse_yaml(text, file)
    issues: list[Issue] = []
    if (english.id, english.version) != (translated.id, translated.version):
        issues.append(
            Issue(
                file,
                _line(lines, ("version",)),
                "",
                t("twin.other_version", id=english.id, version=english.version),
            )
        )
    _compare(
        english.model_dump(mode="json", exclude_defaults=True),
        translated.model_dump(mode="json", exclude_defaults=True),
        (),
        lines,
        file,
        issues,
    )
    issues = [Issue(i.file, i.line, where_in(data, _path_of(i.where))[0], i.message) for i in issues]
    issues.sort(key=lambda i: i.line or 0)
    return issues


def _line(lines: Lines, path: tuple[Any, ...]) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _path_of(where: str) -> tuple[Any, ...]:
    return tuple(int(part) if part.isdigit() else part for part in where.split("/") if part)


def _key_of(entry: Any) -> Any:
    return entry.get("id", entry.get("value")) if isinstance(entry, dict) else None


def _compare(english: Any, other: Any, path: tuple[Any, ...], lines: Lines, file: str, issues: list[Issue]) -> None:
    where = "/".join(str(part) for part in path)
    if isinstance(english, dict) and isinstance(other, dict):
        for key in sorted(set(english) | set(other), key=str):
            if key in TEXT_KEYS:
                if (english.get(key) is None) != (other.get(key) is None):
                    said = "twin.text_missing" if other.get(key) is None else "twin.text_extra"
                    issues.append(Issue(file, _line(lines, (*path, key)), where, t(said, key=key)))
                elif isinstance(english.get(key), list) and len(english[key]) != len(other[key]):
                    message = t("twin.count", key=key, wanted=len(english[key]), found=len(other[key]))
                    issues.append(Issue(file, _line(lines, (*path, key)), where, message))
                continue
            if key not in other:
                issues.append(Issue(file, _line(lines, path), where, t("twin.key_missing", key=key)))
            elif key not in english:
                issues.append(Issue(file, _line(lines, (*path, key)), where, t("twin.key_extra", key=key)))
            elif (path and path[-1] in _KEYED_LISTS) or key in _KEYED_LISTS:
                _compare_keyed(english[key], other[key], (*path, key), lines, file, issues)
            else:
                _compare(english[key], other[key], (*path, key), lines, file, issues)
        return
    if isinstance(english, list) and isinstance(other, list):
        if len(english) != len(other):
            message = t("twin.count", key=path[-1] if path else "", wanted=len(english), found=len(other))
            issues.append(Issue(file, _line(lines, path), where, message))
            return
        for index, (a, b) in enumerate(zip(english, other, strict=True)):
            _compare(a, b, (*path, index), lines, file, issues)
        return
    if english != other:
        message = t("twin.value", key=path[-1] if path else "", wanted=_shown(english), found=_shown(other))
        issues.append(Issue(file, _line(lines, path), where, message))


def _compare_keyed(
    english: Any, other: Any, path: tuple[Any, ...], lines: Lines, file: str, issues: list[Issue]
) -> None:
    """Sections, items and choices are matched by id, so a missing or extra one is named, in order."""
    if not (isinstance(english, list) and isinstance(other, list)):
        _compare(english, other, path, lines, file, issues)
        return
    theirs = [_key_of(entry) for entry in other]
    ours = [_key_of(entry) for entry in english]
    where = "/".join(str(part) for part in path)
    for key in ours:
        if key not in theirs:
            issues.append(Issue(file, _line(lines, path), where, t("twin.id_missing", id=key)))
    for index, key in enumerate(theirs):
        if key not in ours:
            issues.append(Issue(file, _line(lines, (*path, index)), where, t("twin.id_extra", id=key)))
    if [k for k in ours if k in theirs] != [k for k in theirs if k in ours]:
        issues.append(Issue(file, _line(lines, path), where, t("twin.order")))
        return
    for index, entry in enumerate(other):
        key = _key_of(entry)
        if key in ours:
            _compare(english[ours.index(key)], entry, (*path, index), lines, file, issues)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
