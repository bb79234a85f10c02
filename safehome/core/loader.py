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

from safehome.core.errors import InputError, Issue
from safehome.core.models import Assessment, Checklist, Problems
from safehome.i18n.words import t

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
        raise InputError([Issue(str(path), None, "", t("input.no_file"))]) from None
    except OSError as exc:
        raise InputError([Issue(str(path), None, "", t("input.unreadable", reason=exc.strerror))]) from None
    if path.is_dir():
        raise InputError([Issue(str(path), None, "", t("input.folder"))])
    if not stat.S_ISREG(info.st_mode):  # a device or a pipe: its size says nothing, and it may never end
        raise InputError([Issue(str(path), None, "", t("input.not_regular"))])
    if size > MAX_FILE_BYTES:
        raise InputError(
            [
                Issue(
                    str(path),
                    None,
                    "",
                    t("input.too_large", size=round(size / 1e6, 1), limit=round(MAX_FILE_BYTES / 1e6)),
                )
            ]
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Issue(str(path), None, "", t("input.unreadable", reason=exc.strerror))]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Issue(str(path), line, "", t("input.not_utf8"))]) from None


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
            what = exc.problem or t("input.yaml_invalid")
            raise InputError([Issue(file, line, "", t("input.yaml_syntax", what=what))]) from None
        except yaml.YAMLError as exc:
            raise InputError([Issue(file, None, "", t("input.yaml_error", what=exc))]) from None
        if node is None:
            raise InputError([Issue(file, 1, "", t("input.empty"))])
        lines: Lines = {}
        issues: list[Issue] = []
        count = [0]
        open_nodes: set[int] = set()  # the nodes being built: one met again inside itself is a loop

        def build(n: Any, path: tuple[Any, ...]) -> Any:
            if id(n) in open_nodes:  # an alias that contains itself (a: &x [*x]) would never end
                raise InputError([Issue(file, n.start_mark.line + 1, "", t("input.yaml_loop"))])
            open_nodes.add(id(n))
            try:
                return build_one(n, path)
            finally:
                open_nodes.discard(id(n))

        def build_one(n: Any, path: tuple[Any, ...]) -> Any:
            count[0] += 1
            if count[0] > MAX_NODES:
                raise InputError(
                    [
                        Issue(
                            file,
                            None,
                            "",
                            t("input.too_many_values"),
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
                        t("input.tag", tag=n.tag.replace("tag:yaml.org,2002:", "!!")),
                    )
                )
                return None
            if isinstance(n, yaml.MappingNode):
                loader.flatten_mapping(n)
                out: dict[Any, Any] = {}
                for key_node, value_node in n.value:
                    key = build(key_node, (*path, "<key>"))
                    if not isinstance(key, (str, int, float, bool)) or key is None:
                        issues.append(Issue(file, key_node.start_mark.line + 1, "", t("input.key_not_text")))
                        continue
                    if key in out:
                        issues.append(Issue(file, key_node.start_mark.line + 1, "", t("input.key_twice", key=key)))
                        continue
                    out[key] = build(value_node, (*path, key))
                return out
            if isinstance(n, yaml.SequenceNode):
                return [build(child, (*path, i)) for i, child in enumerate(n.value)]
            if n.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and len(str(n.value)) > MAX_NUMBER_CHARS:
                issues.append(
                    Issue(file, line, "", t("input.number_too_long", start=str(n.value)[:12], count=len(str(n.value))))
                )
                return None
            try:
                return loader.construct_object(n, deep=True)
            except (ValueError, OverflowError) as exc:  # a value YAML reads but Python cannot hold
                issues.append(Issue(file, line, "", t("input.yaml_value", reason=str(exc).splitlines()[0][:120])))
                return None

        data = build(node, ())
        lines.pop(("<key>",), None)
        if issues:
            raise InputError(issues)
        return data, lines
    finally:
        loader.dispose()


_WANTED = {  # pydantic's type errors, by what the value should have been
    "string_type": "text",
    "int_type": "whole",
    "int_parsing": "whole",
    "int_from_float": "whole",
    "float_type": "number",
    "float_parsing": "number",
    "bool_type": "bool",
    "bool_parsing": "bool",
    "list_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "date_type": "date",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
}
_BOUNDS = {"greater_than_equal": "ge", "less_than_equal": "le", "greater_than": "gt", "less_than": "lt"}
_FORMS = {"id": "id", "value": "id", "checklist_id": "id", "version": "version", "language": "language"}
_KEYED = ("missing", "extra_forbidden")  # messages that name their key already


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    found = error.get("input")
    loc = error["loc"]
    key = loc[-1] if loc else ""
    ctx = error.get("ctx", {})
    if kind == "missing":
        return t("input.missing_key", key=key)
    if kind == "extra_forbidden":
        return t("input.unknown_key", key=key)
    if kind in ("literal_error", "enum"):
        return t("input.not_allowed", value=found, allowed=str(ctx.get("expected", "")).replace("'", ""))
    if kind == "union_tag_invalid":
        allowed = str(ctx.get("expected_tags", "")).replace("'", "")
        return t("input.answer_kind", kind=ctx.get("tag"), allowed=allowed)
    if kind == "union_tag_not_found":
        return t("input.answer_kind_missing")
    if kind == "string_pattern_mismatch":
        return t(f"input.form.{_FORMS.get(str(key), 'other')}", value=found)
    if kind == "string_too_short":
        return t("input.too_short" if found else "input.empty_text")
    if kind == "string_too_long":
        return t("input.too_long", limit=ctx["max_length"])
    if kind == "too_short":
        return t("input.too_few", least=ctx["min_length"])
    if kind == "too_long":
        return t("input.too_many", limit=ctx["max_length"])
    if kind in _WANTED:
        return t("input.expected", wanted=t(f"input.wanted.{_WANTED[kind]}"), found=_short(found))
    if kind == "union_plain":
        return t("input.expected", wanted=t("input.wanted.answer"), found=_short(found))
    if kind in _BOUNDS:
        bound = next(iter(ctx.values()), "")
        return t(f"input.range.{_BOUNDS[kind]}", value=_short(found), bound=bound)
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return t("input.not_valid")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def where_in(data: Any, loc: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
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


_UNION_MEMBERS = frozenset({"bool", "int", "float", "str", "none"})  # how pydantic names a plain union's members


def _one_per_union(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """A value that fits none of a union's plain types (an answer given as a mapping) is one
    problem, not one per type tried: said once, as what the value may be."""
    out: list[ErrorDetails] = []
    seen: set[tuple[Any, ...]] = set()
    for error in errors:
        loc = tuple(error["loc"])
        if loc and str(loc[-1]) in _UNION_MEMBERS:
            if loc[:-1] in seen:
                continue
            seen.add(loc[:-1])
            error = {**error, "loc": loc[:-1], "type": "union_plain", "msg": ""}
        out.append(error)
    return out


def _issues_from(exc: ValidationError, data: Any, lines: Lines, file: str) -> list[Issue]:
    issues: list[Issue] = []
    for error in _one_per_union(exc.errors(include_url=False)):
        loc = tuple(error["loc"])
        original = error.get("ctx", {}).get("error")
        expanded: list[tuple[tuple[Any, ...], str]]
        if isinstance(original, Problems):
            expanded = [(loc + sub, message) for sub, message in original.problems]
        else:
            expanded = [(loc, _describe(error))]
        for full_loc, message in expanded:
            where, real = where_in(data, full_loc)
            field = _field_path(full_loc)
            if field and error["type"] not in _KEYED:
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
                    t("input.checklist_not_mapping"),
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
        raise InputError([Issue(file, 1, "", t("input.answers_not_object"))])
    try:
        return Assessment.model_validate(data, context={"today": today})
    except ValidationError as exc:
        raise InputError(_issues_from(exc, data, lines or {}, file)) from None


def read_json(path: str | Path) -> Any:
    """An answers file's JSON, refused at once when it repeats a key, holds NaN or a number of
    thousands of digits, or nests too deep (InputError naming the file and line)."""
    path = Path(path)
    text = _read_text(path)
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
            parse_int=_int,
            parse_float=_float,
        )
    except json.JSONDecodeError as exc:
        raise InputError([Issue(str(path), exc.lineno, "", t("input.json_invalid", reason=exc.msg))]) from None
    except _Refused as exc:  # a key given twice would silently keep the last answer: never guess
        raise InputError([Issue(str(path), _line_of(text, exc.needle), "", exc.message)]) from None
    except RecursionError:
        raise InputError([Issue(str(path), None, "", t("input.too_deep"))]) from None


def load_assessment(path: str | Path, today: date | None) -> Assessment:
    """Read an answers file (JSON). ``today`` is given by the caller; later dates are refused."""
    return load_assessment_data(read_json(path), str(path), today)


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
