"""A checklist as an R4 SDC Questionnaire."""

from __future__ import annotations

from typing import Any
from safehome.core.models import NOT_APPLICABLE, Checklist, Item
from safehome.core.profile import AID_FAMILIES
from safehome.i18n.words import t
from safehome.exchange.fhir import expressions
from safehome.exchange.fhir.common import (
    ANSWER_CODES,
    BASE,
    ITEM_WEIGHT,
    LOINC,
    MAX_VALUE,
    MIN_VALUE,
    PROFILE_GROUP,
    STEADI_PANEL,
    UCUM,
    UNIT,
    YES_NO,
    profile_group,
    ucum,
    url_of,
)


def _enable_when(item: Item) -> dict[str, Any]:
    """``enableWhen`` for the conditions a Questionnaire can say (on the profile group's answers)."""
    entries: list[dict[str, Any]] = []

    def coding(field: str, code: str) -> dict[str, Any]:
        return {"system": f"{BASE}/CodeSystem/{field}", "code": code}

    def question(field: str) -> str:
        return f"{PROFILE_GROUP}.{field}"

    def codes(field: str, wanted: Any) -> list[str]:  # a walker of any kind is a walker
        values = [str(v) for v in wanted] if isinstance(wanted, list) else [str(wanted)]
        if field == "walking_aid":
            values += [kind for kind, family in AID_FAMILIES.items() if family in values and kind not in values]
        return values

    only, unless = item.only_if or {}, item.unless or {}
    lists = [(f, v) for f, v in only.items() if isinstance(v, list) or len(codes(f, v)) > 1]
    if len(only) == 1 and lists:  # any of these values
        field, values = lists[0]
        entries = [
            {"question": question(field), "operator": "=", "answerCoding": coding(field, v)}
            for v in codes(field, values)
        ]
        behaviour = "any"
    else:  # every one of these facts
        behaviour = "all"
        for field, wanted in only.items():
            if field == "uses_walking_aid":
                entries.append(
                    {
                        "question": question("walking_aid"),
                        "operator": "!=" if wanted else "=",
                        "answerCoding": coding("walking_aid", "none"),
                    }
                )
            elif field == "has_fallen":
                op = ">" if wanted else "<="
                entries.append({"question": question("falls_last_12_months"), "operator": op, "answerInteger": 0})
            elif isinstance(wanted, bool):
                entries.append({"question": question(field), "operator": "=", "answerBoolean": wanted})
            elif isinstance(wanted, str) and len(codes(field, wanted)) == 1:
                entries.append({"question": question(field), "operator": "=", "answerCoding": coding(field, wanted)})
            else:
                return {}  # a mix a Questionnaire cannot say: the item is always shown (never hidden by mistake)
    for field, wanted in unless.items():
        if (only and behaviour == "any") or isinstance(wanted, bool):
            return {}
        values = codes(field, wanted)
        behaviour = "all"
        entries += [{"question": question(field), "operator": "!=", "answerCoding": coding(field, v)} for v in values]
    if not entries:
        return {}
    return {"enableWhen": entries, **({"enableBehavior": behaviour} if len(entries) > 1 else {})}


def _options(item: Item) -> list[dict[str, Any]]:
    kind = item.answer.kind
    options: list[dict[str, Any]] = []
    if kind == "yes_no":
        for value in ("yes", "no"):
            option: dict[str, Any] = {
                "valueCoding": {"system": LOINC, "code": YES_NO[value], "display": t(f"answer.shown.{value}")}
            }
            if item.steadi_points is not None:  # the Stay Independent points, as SDC weights
                weight = item.steadi_points if value == "yes" else 0
                option["extension"] = [{"url": ITEM_WEIGHT, "valueDecimal": weight}]
            options.append(option)
    elif kind == "choice":
        options = [
            {"valueCoding": {"system": ANSWER_CODES, "code": o.value, "display": o.label}}
            for o in item.answer.options()
            if o.value != NOT_APPLICABLE
        ]
    return options


def _follows(checklist: Checklist, item: Item) -> dict[str, Any]:
    """When the question is put: a follow-up opened by another answer (plain ``enableWhen``), one a
    score opens, or a physical test the safety stop hides (``enableWhenExpression``)."""
    if item.follows and not item.only_if and not item.unless:
        expression = expressions.follow_up(checklist, item)
        if expression is not None:
            return {"extension": [expressions.extension(expressions.ENABLE_WHEN_EXPRESSION, expression)]}
        entries = [
            {
                "question": follow.item,
                "operator": "=",
                "answerCoding": {"system": LOINC, "code": YES_NO[str(value)]}
                if str(value) in YES_NO
                else {"system": ANSWER_CODES, "code": str(value)},
            }
            for follow in item.follows
            for value in follow.answer or ()
        ]
        return {"enableWhen": entries, **({"enableBehavior": "any"} if len(entries) > 1 else {})}
    if expressions.is_physical_test(item):
        allowed = expressions.tests_allowed(checklist)
        if allowed is not None:
            return {"extension": [expressions.extension(expressions.ENABLE_WHEN_EXPRESSION, allowed)]}
    return _enable_when(item)


def _steadi_total(checklist: Checklist) -> dict[str, Any] | None:
    """The Stay Independent total, worked out by the renderer from the answers (read only)."""
    expression = expressions.steadi_total(checklist)
    if expression is None:
        return None
    return {
        "linkId": expressions.STEADI_TOTAL,
        "text": t("fhir.steadi_total"),
        "type": "integer",
        "readOnly": True,
        "code": [{"system": LOINC, "code": STEADI_PANEL, "display": t("fhir.steadi_panel")}],
        "extension": [expressions.extension(expressions.CALCULATED, expression)],
    }


def _question(checklist: Checklist, item: Item, mode: str) -> dict[str, Any]:
    kind = item.answer.kind
    facts = item.answer.model_dump()  # the kind's own fields (min, max, unit...), read without switching on its class
    # a length is a decimal in cm; an equipment status its stored words (FHIR v2 maps them further)
    fhir_type = {
        "yes_no": "choice",
        "choice": "choice",
        "scale": "integer",
        "text": "text",
        "length": "decimal",
        "equipment": "string",
    }.get(kind)
    if kind == "number":
        fhir_type = "integer" if facts.get("integer") else "decimal"
    question: dict[str, Any] = {"linkId": item.id, "text": item.prompt_for(mode), "type": fhir_type}
    when = _follows(checklist, item)
    question.update({k: v for k, v in when.items() if k != "extension"})
    if item.is_required:
        question["required"] = True
    options = _options(item)
    if options:
        question["answerOption"] = options
    extensions: list[dict[str, Any]] = list(when.get("extension", []))
    if kind in ("number", "scale", "length"):
        value_key = "valueInteger" if fhir_type == "integer" else "valueDecimal"
        low, high = facts["min"], facts["max"]
        extensions += [
            {"url": MIN_VALUE, value_key: int(low) if fhir_type == "integer" else low},
            {"url": MAX_VALUE, value_key: int(high) if fhir_type == "integer" else high},
        ]
        code = ucum(kind, facts.get("measure"))
        if code is not None:
            shown = facts.get("unit") or code
            extensions.append({"url": UNIT, "valueCoding": {"system": UCUM, "code": code, "display": shown}})
    if kind == "text":
        question["maxLength"] = facts["max_length"]
    if extensions:
        question["extension"] = extensions
    return question


def questionnaire(checklist: Checklist) -> dict[str, Any]:
    """The checklist as an R4 SDC Questionnaire (in the checklist's own language)."""
    mode = checklist.modes[0]
    groups = [profile_group()]
    for section in checklist.sections:
        group: dict[str, Any] = {"linkId": section.id, "type": "group", "text": section.title}
        group["item"] = [
            _question(checklist, item, mode) for item in section.items if item.modes is None or mode in item.modes
        ]
        if any(item.steadi_points is not None for item in section.items):
            group["code"] = [{"system": LOINC, "code": STEADI_PANEL, "display": t("fhir.steadi_panel")}]
            total = _steadi_total(checklist)
            if total is not None:
                group["item"].append(total)
        groups.append(group)
    name = "".join(part.capitalize() for part in checklist.id.replace(".", "-").split("-"))
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"{checklist.id}-{checklist.version}".replace(".", "-")[:64],
        "meta": {"profile": ["http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"]},
        "language": checklist.language,
        "url": url_of(checklist.id),
        "version": checklist.version,
        "name": name,
        "title": checklist.title,
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "safehome",
        "item": groups,
    }
    if checklist.description:
        resource["description"] = checklist.description
    return resource
