"""One fixture per way a clinician can break a checklist: each gives file:line: where: what."""

from __future__ import annotations

import pytest

from safehome.core.loader import MAX_FILE_BYTES, InputError, load_checklist, load_checklist_text

from .conftest import FIXTURES

BROKEN = FIXTURES / "broken"

# file, line, where, words the message must hold
CASES = [
    ("extra_key.yaml", 15, "hall/rugs", "unknown key 'acton'"),
    ("missing_source.yaml", 11, "hall/rugs", "missing required key 'source'"),
    ("unknown_answer_kind.yaml", 13, "hall/rugs", "answer kind 'yesno' is unknown"),
    ("duplicate_item_id.yaml", 22, "bath/rugs", "item id 'rugs' is already used in section 'hall'"),
    ("duplicate_key.yaml", 15, "", "the key 'severity' appears twice"),
    ("dangling_condition.yaml", 13, "hall/rugs", "'uses_wheelchair' is not a profile field"),
    ("bad_condition_value.yaml", 13, "hall/rugs", "'femur' is not a value of 'bone_sites'"),
    ("hazard_not_an_answer.yaml", 18, "hall/floor", "hazard answer 'polished_wood' is not one of this item's answers"),
    ("red_flag_without_action.yaml", 11, "signs/numb", "a red flag must say what to do"),
    ("empty_section.yaml", 10, "hall", "items: needs at least 1 entry"),
    ("unsafe_tag.yaml", 1, "", "the tag '!!python/object/apply:os.system' is not allowed"),
    ("syntax_error.yaml", 4, "", "YAML syntax"),
    ("not_utf8.yaml", 2, "", "is not UTF-8 text"),
    ("wrong_type.yaml", 15, "hall/rugs", "red_flag: expected true or false, found 'maybe'"),
    ("not_a_mapping.yaml", 1, "", "a checklist must be a set of keys"),
    ("bad_severity.yaml", 14, "hall/rugs", "severity: 'severe' is not allowed here; use one of: low, medium or high"),
    ("measure_with_threshold.yaml", 13, "tests/tug", "judged by its published cut-off"),
    ("steadi_wrong_total.yaml", 7, "", "must be 12 items worth 14 points in all (found 1 items worth 2)"),
]


@pytest.mark.parametrize(("name", "line", "where", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_broken_checklist_gives_one_clear_located_error(name: str, line: int, where: str, words: str) -> None:
    path = BROKEN / name
    with pytest.raises(InputError) as caught:
        load_checklist(path)
    issues = caught.value.issues
    assert len(issues) == 1, [str(i) for i in issues]
    issue = issues[0]
    assert issue.file == str(path)
    assert issue.line == line
    assert issue.where == where
    assert words in issue.message
    assert str(issue).startswith(f"{path}:{line}: ")


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.yaml")) == sorted(
        [c[0] for c in CASES] + ["bad_version_and_language.yaml"]
    )


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        load_checklist(BROKEN / "bad_version_and_language.yaml")
    messages = [(i.line, i.message.split(":")[0]) for i in caught.value.issues]
    assert messages == [(1, "id"), (2, "version"), (4, "language")]


def test_problems_in_several_items_are_all_reported() -> None:
    text = (FIXTURES / "valid_minimal.yaml").read_text()
    text = text.replace('source: "HOME FAST: floors"', "").replace("severity: low", "severity: extreme")
    with pytest.raises(InputError) as caught:
        load_checklist_text(text, "two.yaml")
    found = {(i.where, i.message.split(" ")[0]) for i in caught.value.issues}
    assert found == {("hall/rugs", "missing"), ("hall/cane", "severity:")}


def test_a_too_large_file_is_refused_before_parsing(tmp_path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# filler\n" * (5 * 1024 * 1024 // 9))
    assert path.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(InputError, match=r"too large \(5\.2 MB; the limit is 1 MB\)"):
        load_checklist(path)


def test_alias_bombs_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    with pytest.raises(InputError, match="too many values"):
        load_checklist_text("\n".join(lines), "bomb.yaml")


def test_missing_file_and_folder(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_checklist(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="is a folder"):
        load_checklist(tmp_path)


def test_valid_minimal_checklist_loads_with_separate_self_wording() -> None:
    checklist = load_checklist(FIXTURES / "valid_minimal.yaml")
    rugs = checklist.item("rugs")
    assert rugs.prompt_for("clinician") == "Are there loose rugs?"
    assert rugs.prompt_for("self") == "I have loose rugs."
    assert checklist.item("cane").prompt_for("self") == "Is the cane worn?"
