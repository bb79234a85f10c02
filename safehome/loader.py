"""Reading checklists and assessments, with errors a clinician can act on.

YAML is composed into nodes with the safe loader, so every value keeps the line it came
from; pydantic's error locations are then mapped back to ``file:line: section/item: what
is wrong``. All problems in a file are reported at once. Tags that would build Python
objects are refused, and so are duplicate keys (YAML would otherwise keep the last one
without a word).
"""

from __future__ import annotations

import json
import math
import stat
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .errors import InputError, Issue
from .models import Assessment, Checklist, Problems
from .words import t

__all__ = ["InputError", "Issue", "load_assessment", "load_checklist"]

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000

_SAFE_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


Lines = dict[tuple[Any, ...], int]


def _read_text(path: Path) -> str:
    try:
        info = path.stat()
        size = info.st_size
    except FileNotFoundError:
        raise InputError([Issue(str(path), None, "", "no such file")]) from None
    except OSError as exc:
        raise InputError([Issue(str(path), None, "", f"cannot be read ({exc.strerror})")]) from None
    if path.is_dir():
        raise InputError([Issue(str(path), None, "", "is a folder, not a file")])
    if not stat.S_ISREG(info.st_mode):  # a device or a pipe: its size says nothing, and it may never end
        raise InputError([Issue(str(path), None, "", t("input.not_regular"))])
    if size > MAX_FILE_BYTES:
        raise InputError(
            [
                Issue(
                    str(path),
                    None,
                    "",
                    f"is too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)",
                )
            ]
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Issue(str(path), None, "", f"cannot be read ({exc.strerror})")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Issue(str(path), line, "", "is not UTF-8 text; save it again as UTF-8")]) from None


def parse_yaml(text: str, file: str) -> tuple[Any, Lines]:
    """Parse YAML safely, returning plain data and the line of every value by its path."""
    import yaml

    # libyaml's C parser when present (about ten times faster); same nodes, same line marks
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            what = exc.problem or "is not valid YAML"
            raise InputError(
                [Issue(file, line, "", f"YAML syntax: {what} (check indentation, colons and quotes)")]
            ) from None
        except yaml.YAMLError as exc:
            raise InputError([Issue(file, None, "", f"YAML syntax: {exc}")]) from None
        if node is None:
            raise InputError([Issue(file, 1, "", "the file is empty")])
        lines: Lines = {}
        issues: list[Issue] = []
        count = [0]

        def build(n: Any, path: tuple[Any, ...]) -> Any:
            count[0] += 1
            if count[0] > MAX_NODES:
                raise InputError(
                    [
                        Issue(
                            file,
                            None,
                            "",
                            "the file has too many values (or repeats aliases); it cannot be a checklist",
                        )
                    ]
                )
            line = n.start_mark.line + 1
            lines[path] = line
            if n.tag not in _SAFE_TAGS:
                issues.append(
                    Issue(
                        file,
                        line,
                        "",
                        f"the tag '{n.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed; use plain values",
                    )
                )
                return None
            if isinstance(n, yaml.MappingNode):
                loader.flatten_mapping(n)
                out: dict[Any, Any] = {}
                for key_node, value_node in n.value:
                    key = build(key_node, (*path, "<key>"))
                    if not isinstance(key, (str, int, float, bool)) or key is None:
                        issues.append(Issue(file, key_node.start_mark.line + 1, "", "a key must be plain text"))
                        continue
                    if key in out:
                        issues.append(
                            Issue(file, key_node.start_mark.line + 1, "", f"the key '{key}' appears twice here")
                        )
                        continue
                    out[key] = build(value_node, (*path, key))
                return out
            if isinstance(n, yaml.SequenceNode):
                return [build(child, (*path, i)) for i, child in enumerate(n.value)]
            return loader.construct_object(n, deep=True)

        data = build(node, ())
        lines.pop(("<key>",), None)
        if issues:
            raise InputError(issues)
        return data, lines
    finally:
        loader.dispose()


_FRIENDLY = {
    "missing": "missing required key",
    "extra_forbidden": "unknown key",
}


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    found = error.get("input")
    loc = error["loc"]
    key = loc[-1] if loc else ""
    if kind == "missing":
        return f"missing required key '{key}'"
    if kind == "extra_forbidden":
        return f"unknown key '{key}' (check the spelling, or remove it)"
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{found}' is not allowed here; use one of: {expected.replace(chr(39), '')}"
    if kind == "union_tag_invalid":
        expected = error.get("ctx", {}).get("expected_tags", "")
        return f"answer kind '{error['ctx'].get('tag')}' is unknown; use one of: {expected.replace(chr(39), '')}"
    if kind == "union_tag_not_found":
        return "missing 'kind' (yes_no, choice, number, scale or text)"
    if kind == "string_pattern_mismatch":
        if key in ("id", "value", "checklist_id"):
            return f"'{found}' is not a valid id: use lower-case letters, digits, '_', '-' or '.'"
        if key == "version":
            return f"'{found}' is not a version: write it as 1.0 or 1.2.3"
        if key == "language":
            return f"'{found}' is not a language tag: write it as en-CA or fr-CA"
        return f"'{found}' does not have the expected form"
    if kind == "string_too_short":
        return "is too short (or empty)" if found else "is empty"
    if kind == "string_too_long":
        return f"is too long (at most {error['ctx']['max_length']} characters)"
    if kind == "too_short":
        least = error["ctx"]["min_length"]
        return f"needs at least {least} {'entry' if least == 1 else 'entries'}"
    if kind == "too_long":
        return f"has too many entries (at most {error['ctx']['max_length']})"
    if kind in (
        "string_type",
        "int_type",
        "float_type",
        "bool_type",
        "list_type",
        "dict_type",
        "model_type",
        "int_parsing",
        "float_parsing",
        "bool_parsing",
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "int_from_float",
    ):
        wanted = {
            "string_type": "text",
            "int_type": "a whole number",
            "int_parsing": "a whole number",
            "int_from_float": "a whole number",
            "float_type": "a number",
            "float_parsing": "a number",
            "bool_type": "true or false",
            "bool_parsing": "true or false",
            "list_type": "a list",
            "dict_type": "a set of keys and values",
            "model_type": "a set of keys and values",
            "date_type": "a date (YYYY-MM-DD)",
            "date_parsing": "a date (YYYY-MM-DD)",
            "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
        }[kind]
        return f"expected {wanted}, found {_short(found)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        ctx = error.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        word = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "above",
            "less_than": "below",
        }[kind]
        return f"{_short(found)} is out of range: it must be {word} {bound}"
    msg = str(error.get("msg", "is not valid"))
    return msg.removeprefix("Value error, ")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _where(data: Any, loc: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """Name the section/item a location points at, and the part of loc that is real data."""
    real: list[Any] = []
    node = data
    names: list[str] = []
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            real.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            real.append(part)
            if isinstance(node, dict) and real[-2:-1] and real[-2] in ("sections", "items", "advice", "warning_signs"):
                names.append(
                    str(node.get("id", f"#{part + 1}"))
                    if real[-2] in ("sections", "items")
                    else f"{real[-2]} #{part + 1}"
                )
        else:
            break
    return "/".join(names), tuple(real)


_TAGS = {"yes_no", "choice", "number", "scale", "text"}


def _field_path(loc: tuple[Any, ...]) -> str:
    """The keys after the innermost section or item, for example ``answer.hazard``."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts = [] if parts[-1:] in (["items"], ["sections"]) else [*parts, f"[{part + 1}]"]
        elif part not in _TAGS:
            parts.append(part)
    if parts[:1] in (["items"], ["sections"]) and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts).replace(".[", "[")


def _line(lines: Lines, real: tuple[Any, ...]) -> int | None:
    for end in range(len(real), -1, -1):
        if real[:end] in lines:
            return lines[real[:end]]
    return None


def _issues_from(exc: ValidationError, data: Any, lines: Lines, file: str) -> list[Issue]:
    issues: list[Issue] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        original = error.get("ctx", {}).get("error")
        expanded: list[tuple[tuple[Any, ...], str]]
        if isinstance(original, Problems):
            expanded = [(loc + sub, message) for sub, message in original.problems]
        else:
            expanded = [(loc, _describe(error))]
        for full_loc, message in expanded:
            where, real = _where(data, full_loc)
            field = _field_path(full_loc)
            if field and not message.startswith(("missing required key", "unknown key")):
                message = f"{field}: {message}"
            issues.append(Issue(file, _line(lines, real), where, message))
    issues.sort(key=lambda i: i.line or 0)
    return issues


def load_checklist_text(text: str, file: str) -> Checklist:
    data, lines = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise InputError(
            [
                Issue(
                    file,
                    1,
                    "",
                    "a checklist must be a set of keys (id, version, title, ...), not a list or a single value",
                )
            ]
        )
    try:
        return Checklist.model_validate(data)
    except ValidationError as exc:
        raise InputError(_issues_from(exc, data, lines, file)) from None


def load_checklist(path: str | Path) -> Checklist:
    path = Path(path)
    return load_checklist_text(_read_text(path), str(path))


def load_assessment_data(data: Any, file: str, today: date | None, lines: Lines | None = None) -> Assessment:
    if not isinstance(data, dict):
        raise InputError(
            [Issue(file, 1, "", "an answers file must be a JSON object with checklist_id, profile and answers")]
        )
    try:
        return Assessment.model_validate(data, context={"today": today})
    except ValidationError as exc:
        raise InputError(_issues_from(exc, data, lines or {}, file)) from None


def load_assessment(path: str | Path, today: date | None) -> Assessment:
    """Read an answers file (JSON). ``today`` is given by the caller; later dates are refused."""
    path = Path(path)
    text = _read_text(path)
    try:
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
            parse_int=_int,
            parse_float=_float,
        )
    except json.JSONDecodeError as exc:
        raise InputError([Issue(str(path), exc.lineno, "", f"is not valid JSON ({exc.msg})")]) from None
    except _Refused as exc:  # a key given twice would silently keep the last answer: never guess
        raise InputError([Issue(str(path), _line_of(text, exc.needle), "", exc.message)]) from None
    except RecursionError:
        raise InputError([Issue(str(path), None, "", t("input.too_deep"))]) from None
    return load_assessment_data(data, str(path), today)


class _Refused(ValueError):
    def __init__(self, message: str, needle: str) -> None:
        super().__init__(message)
        self.message, self.needle = message, needle


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Refused(t("input.duplicate_key", key=key[:200]), json.dumps(key))
        seen[key] = value
    return seen


MAX_NUMBER_CHARS = 30  # no answer, age or measure needs more; 5,000 digits is an attack, not an age


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(t("input.number_too_long", start=text[:12], count=len(text)), text[:40])
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(t("input.number_too_long", start=text[:12], count=len(text)), text[:40])
    number = float(text)
    if not math.isfinite(number):  # 1e400 is infinity
        raise _Refused(t("input.not_a_number", value=text), text)
    return number


def _no_constant(name: str) -> Any:
    raise _Refused(t("input.not_a_number", value=name), name)


def _line_of(text: str, needle: str) -> int | None:
    """The line of the last place ``needle`` occurs (the second of a duplicated key)."""
    at = text.rfind(needle)
    return None if at < 0 else text.count("\n", 0, at) + 1
