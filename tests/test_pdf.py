"""The PDF action plans: content, escaping, fonts, print sizes, determinism and safe writing."""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from freezegun import freeze_time
from pypdf import PdfReader

from safehome.faces import cli
from safehome.core.example import example_assessment
from safehome.core.models import Answer
from safehome.reports import render_plan
from safehome.core.options import ReportOptions
from safehome.core.plan import build_plan
from safehome.core.score import score

from .conftest import make
import itertools

GOLDEN = Path(__file__).parent / "golden" / "example-home.sha256"


def pdf_for(checklist, assessment, comparison=None, **options) -> bytes:
    result = score(checklist, assessment)
    plan = build_plan(checklist, assessment, result)
    return render_plan(checklist, assessment, result, plan, ReportOptions(**options), comparison)


def text_of(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data), strict=True)
    return [page.extract_text() for page in reader.pages]


def flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def body_font_sizes(data: bytes) -> Counter:
    """Font sizes of the text between the header and footer rules, weighted by characters."""
    sizes: Counter = Counter()
    for page in PdfReader(io.BytesIO(data)).pages:
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font, size, height=height):
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and 0.8 * 72 < y < height - 0.7 * 72:
                sizes[round(size * tm[0], 1)] += len(text.strip())

        page.extract_text(visitor_text=visit)
    return sizes


@pytest.fixture(scope="module")
def example(home):
    from datetime import date

    return example_assessment(home, date(2026, 11, 27))


@pytest.fixture(scope="module")
def home_pdf(home, example) -> bytes:
    return pdf_for(home, example)


def test_home_plan_has_every_part_and_every_action(home, example, home_pdf) -> None:
    pages = text_of(home_pdf)
    text = flat(pages)
    assert "Warning signs, and how fast to act" in flat(pages[:1])
    tiers_seen: set[str | None] = set()
    for group in home.warning_signs:  # one heading per tier: the first group's title
        if group.urgency not in tiers_seen:
            assert group.title in text, group.title
        tiers_seen.add(group.urgency)
        for sign in group.signs:
            assert " ".join(sign.split()) in text
    plan = build_plan(home, example)
    for action in plan.actions:
        assert " ".join(action.action.split()) in text, action.item_id
    assert text.count(" · ") >= len(plan.actions)  # each row: by when · who · where
    for part in (
        "What to do, most important first",
        "Moving safely with your bones",
        "Ask your healthcare team about",
        "Check again",
        "What this plan is and is not",
        "not medical advice",
        "Notes and questions for your team",
    ):
        assert part in text
    assert "December 27, 2026" in text
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in page
        assert "Home safety action plan: Zoë Tremblay" in page
        assert "Made on November 27, 2026" in page


def test_handout_has_plain_words_only(home, example, home_pdf) -> None:
    text = flat(text_of(home_pdf))
    for jargon in (
        "STEADI",
        "Stay Independent",
        "Functional tests",
        "bone-metastases-home-visit",
        "v2.0",
        "vertebrae",
        "osteolytic",
        "2026-11-27",
        "rule of thumb",
        "points",
        "HSSAT",
        "?",  # no questions: findings and actions only
    ):
        assert jargon not in text, jargon
    assert "Chosen for you because the cancer is in your spine and your pelvis, and you use a cane." in text
    assert "cane or walker" not in text and "your cane" in text


def test_action_log_rows_in_priority_order_with_who_and_when(home, example, home_pdf) -> None:
    text = flat(text_of(home_pdf))
    plan = build_plan(home, example)
    places = [text.index(" ".join(a.action.split())) for a in plan.actions]
    assert places == sorted(places)
    first = plan.actions[0]
    assert f"This week · You · {first.rooms[0]}" in text
    assert "Pharmacist" in text and "Occupational therapist" in text and "Physiotherapist" in text


def test_example_page_counts(home, example, home_pdf) -> None:
    # the example's 16 actions: at most 2 pages at 12 pt, 3 at 16 pt; the clinician summary in 3 pages or fewer
    def pages_with_actions(data: bytes) -> int:
        return sum(1 for page in text_of(data) if "This week" in page or "This month" in page)

    assert pages_with_actions(home_pdf) <= 2
    assert pages_with_actions(pdf_for(home, example, large_print=True)) <= 3
    # issue 32: the measurements and the equipment follow page 1 in tables of their own
    assert len(text_of(pdf_for(home, example, audience="clinician"))) <= 5


def test_who_to_call_block_with_and_without_contacts(home) -> None:
    blank = flat(text_of(pdf_for(home, make(home)))[:1])
    assert "Who to call" in blank and "Emergency 911" in blank
    assert blank.count("_______________________________") == 4  # lines to write on
    contacts = {
        "cancer_team_phone": "613-555-0100",
        "after_hours_phone": "613-555-0199",
        "visit_clinician": "Ana Ruiz, OT, 613-555-0142",
        "next_appointment": "December 4, 2 pm",
    }
    first = flat(text_of(pdf_for(home, make(home, profile=contacts)))[:1])
    for value in contacts.values():
        assert value in first
    assert "_______________________________" not in first


def test_paper_sizes_and_the_viewer_shows_the_title(home, example, home_pdf) -> None:
    letter = PdfReader(io.BytesIO(home_pdf))
    assert [round(float(x)) for x in letter.pages[0].mediabox[2:]] == [612, 792]
    a4 = PdfReader(io.BytesIO(pdf_for(home, example, paper="a4")))
    assert [round(float(x)) for x in a4.pages[0].mediabox[2:]] == [595, 842]
    assert letter.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712  (a PDF boolean object)


def test_red_flag_box_comes_first_with_what_to_do_for_its_tier(home) -> None:
    a = make(home, {"ws_limb_weakness_new": "yes", "ws_back_pain": "yes", "hw_rugs": "yes"})
    first = flat(text_of(pdf_for(home, a))[:1])
    told = first.index("Your answers show warning signs. Act on them before anything else on this plan.")
    assert told < first.index("Warning signs, and how fast to act")
    emergency = first.index("Call 911 now. Do not walk or drive yourself to the hospital.")
    same_day = first.index("Call the cancer team now. When their office is closed, call the after-hours line.")
    assert told < emergency < first.index("weakness, heaviness or numbness") < same_day


def test_unchecked_warning_signs_are_named_on_page_one(home) -> None:
    answers = {i.id: None for s in home.sections if s.kind == "warning_signs" for i in s.items}
    pages = text_of(pdf_for(home, make(home, answers)))
    first = flat(pages[:1])
    assert "Warning signs NOT checked" in first
    assert "New numbness between the legs or around the bottom" in flat(pages[:2])
    assert "Ask about new" not in flat(pages[:2])  # the signs in plain words, not the clinician's questions
    for audience in ("home", "clinician"):
        text = flat(text_of(pdf_for(home, make(home, answers), audience=audience)))
        assert "none reported" not in text and "No warning signs" not in text
        assert "not finished yet" in text or "not yet (the check is not finished" in text


def test_no_hazards_still_gives_warning_box(home) -> None:
    text = flat(text_of(pdf_for(home, make(home))))
    assert "No hazards were found" in text and "Warning signs, and how fast to act" in text


def test_user_text_is_printed_literally_and_nothing_is_fetched(home) -> None:
    nasty = '<b>x</b> & <img src="http://127.0.0.1:9/x.png"/> <font size=40>big</font>'
    a = make(
        home,
        {"hw_rugs": "yes", "cs_notes": "Café — “déjà vu” – l’été\nsecond line", "sp_note_for_person": nasty},
        profile={"name": "Łódź <b>Zoë</b> & co"},
        notes={"hw_rugs": nasty},
    )
    home_text = flat(text_of(pdf_for(home, a)))
    clinician_text = flat(text_of(pdf_for(home, a, audience="clinician")))
    for text in (home_text, clinician_text):
        assert "Łódź <b>Zoë</b> & co" in text
        # narrow table cells may wrap inside the URL, so compare without white space
        assert "".join(nasty.split()) in "".join(text.split())
    assert nasty in home_text
    assert "Café — “déjà vu” – l’été second line" in clinician_text


def test_characters_the_font_lacks_become_question_marks(home) -> None:
    a = make(
        home,
        {"hw_rugs": "yes"},
        profile={"name": "Sam \U0001f600 \u202eright-to-left\u202c"},
        notes={"hw_rugs": "bell\x07 ok"},
    )
    a = a.model_copy(update={"answers": {**a.answers, "sp_note_for_person": Answer(value="bell\x07 ok")}})
    text = flat(text_of(pdf_for(home, a)))
    assert "Sam [grinning face]" in text and "right-to-left" in text  # an emoji by its name, never "?"
    assert "bell ok" in text  # control characters are dropped


def test_print_sizes(home, example, home_pdf) -> None:
    normal = body_font_sizes(home_pdf)
    large = body_font_sizes(pdf_for(home, example, large_print=True))
    assert min(normal) >= 12, normal
    assert min(large) >= 16, large
    assert normal.most_common(1)[0][0] == 12
    assert large.most_common(1)[0][0] == 16


def test_fonts_are_embedded_atkinson_family(home_pdf) -> None:
    reader = PdfReader(io.BytesIO(home_pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert names == {"AtkinsonHyperlegible-Regular", "AtkinsonHyperlegible-Bold"}


def test_metadata_holds_title_and_subject_only(home_pdf) -> None:
    reader = PdfReader(io.BytesIO(home_pdf))
    meta = reader.metadata
    assert meta["/Title"] == "Home safety action plan"
    assert meta["/Subject"].startswith("Falls and mobility safety")
    assert meta["/Author"] == "safehome"
    raw = home_pdf.decode("latin-1")
    assert "Tremblay" not in str(dict(meta))
    assert os.getcwd() not in raw and "/root" not in raw and "/home/" not in raw
    assert reader.trailer["/Root"]["/Lang"] == "en-CA"
    assert meta["/CreationDate"].startswith("D:20261127")


def test_same_assessment_same_bytes(home, example, home_pdf) -> None:
    assert pdf_for(home, example) == home_pdf
    assert pdf_for(home, example, large_print=True) != home_pdf


def test_golden_hash(home_pdf) -> None:
    import reportlab

    recorded = json.loads(GOLDEN.read_text())
    if recorded["reportlab"] != reportlab.Version:
        pytest.skip(f"golden hash recorded with ReportLab {recorded['reportlab']}, not {reportlab.Version}")
    assert hashlib.sha256(home_pdf).hexdigest() == recorded["sha256"]


def test_clinician_summary(home, example) -> None:
    text = flat(text_of(pdf_for(home, example, audience="clinician")))
    for part in (
        "Home safety assessment: clinician summary",
        "Primary cancer",
        "Spine (back or neck); Pelvis (hip bone)",
        "Stay Independent: 7 of 14, may be at risk of falling",
        "13.5 s: at risk of falling",
        "9 stands: below average for women aged 68",
        "SINS 5: stable range",
        "Referrals",
        "Appendix: hazards, items not answered, and notes",
        "Reviewed by",
        "Signature:",
    ):
        assert part in text, part
    assert "Two rugs in the hall & one by the sink" in text
    assert "Everyday items stored very high or very low" in text  # a hazard is in the appendix, as found
    assert "Is the bathroom door locked" not in text  # an item answered safely is not


def test_clinician_page_one_is_the_whole_story(home, example) -> None:
    first = flat(text_of(pdf_for(home, example, audience="clinician"))[:1])
    for part in (
        "0 reported, of 17 asked (17 on the checklist)",  # 3.0: two follow-ups not asked (their answer was no)
        "At risk of falling",
        "Stay Independent: 7 of 14",
        "Timed Up and Go: 13.5 s: at risk of falling (12 s or more)",
        "stage 3: tandem stance held 10 s, no added risk on this test",
        "Home hazards",
        "Top hazards (4 of 18, by priority)",
        "Physiotherapy: Not in a physiotherapy or occupational therapy program; Timed Up and Go: 13.5 s",
    ):
        assert part in first, part


def test_clinician_every_item_on_request(home, example) -> None:
    text = flat(text_of(pdf_for(home, example, audience="clinician", all_items=True)))
    assert "Appendix: every item" in text
    statuses = {r.item_id: r.status for r in score(home, example).items}
    for _, item in home.items():
        if (item.modes is None or "clinician" in item.modes) and not item.only_if and statuses[item.id] != "skipped":
            # a hazard is said as what was found, every other item by its question
            said = item.reported_as("clinician") if statuses[item.id] == "hazard" else item.prompt
            assert " ".join(said.split()) in text, item.id


def test_clinician_changes_show_values_before_and_after(home) -> None:
    from datetime import date

    from safehome.core.compare import compare

    before = make(home, {"ft_tug": 15.2, "hw_rugs": "yes"}, day=date(2026, 8, 1))
    after = make(home, {"ft_tug": 13.5, "ws_pain_uncontrolled": "yes"})  # a next-visit sign: the tests go on
    comparison = compare(home, before, after)
    assert comparison.new == ()  # the new warning sign is listed once, as a warning sign
    text = flat(text_of(pdf_for(home, after, audience="clinician", comparison=comparison)))
    assert "Timed Up and Go: 15.2 seconds -> 13.5 seconds" in text
    stopped = make(home, {"ft_tug": 13.5, "ws_back_pain": "yes"})  # a same-day sign stops them: said so
    stopped_text = flat(
        text_of(pdf_for(home, stopped, audience="clinician", comparison=compare(home, before, stopped)))
    )
    assert "Timed Up and Go: 15.2 seconds -> not done (unsafe that day)" in stopped_text
    sign = home.item("ws_pain_uncontrolled").reported_as("clinician")
    start = text.index("Since the last assessment")  # the comparison, up to the next part of page 1
    end = min(text.find(part, start) % (len(text) + 1) for part in ("Top hazards", "Referrals", "Check again by"))
    since = text[start:end]
    assert since.count(sign) == 1  # a new warning sign is not also a "new hazard"


# --------------------------------------------------------------------------- the report command


@pytest.fixture
def answers(tmp_path, capsys) -> Path:
    path = tmp_path / "visit.json"
    with freeze_time("2026-11-27"):
        assert cli.main(["example", "-o", str(path)]) == 0
    capsys.readouterr()
    return path


def test_report_command_default_path_and_permissions(answers, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    with freeze_time("2026-11-27"):
        assert cli.main(["report", str(answers)]) == 0
        assert cli.main(["report", str(answers), "--audience", "clinician", "--large-print"]) == 0
    from safehome import service

    reports = service.reports_folder()  # inside the data folder: never the folder the command ran in
    assert not (tmp_path / "reports").exists()
    home_pdf = reports / "2026-11-27-ZT-home.pdf"
    clinician_pdf = reports / "2026-11-27-ZT-clinician-large.pdf"
    assert home_pdf.read_bytes().startswith(b"%PDF") and clinician_pdf.exists()
    assert os.stat(home_pdf).st_mode & 0o777 == 0o600
    assert os.stat(reports).st_mode & 0o777 == 0o700


def test_report_never_overwrites_without_force(answers, tmp_path, capsys) -> None:
    out = tmp_path / "plan.pdf"
    out.write_bytes(b"keep me")
    with freeze_time("2026-11-27"):
        assert cli.main(["report", str(answers), "-o", str(out)]) == 2
        assert "already exists" in capsys.readouterr().err
        assert out.read_bytes() == b"keep me"
        assert cli.main(["report", str(answers), "-o", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_interrupted_report_leaves_nothing(answers, tmp_path, monkeypatch, capsys) -> None:
    import safehome.storage.files as files

    def fail_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", fail_fsync)
    out = tmp_path / "out" / "plan.pdf"
    out.parent.mkdir()
    with freeze_time("2026-11-27"):
        code = cli.main(["report", str(answers), "-o", str(out)])
    assert code != 0
    assert list(out.parent.iterdir()) == []


def test_names_cannot_steer_the_default_path(home, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    a = make(home, profile={"name": "../../etc/x"})
    from safehome.service import default_report_path

    path = default_report_path(a, "home", False, Path("reports"))
    assert path.parent == Path("reports") and path.name == "2026-11-27-EX-home.pdf"


def test_report_refuses_bad_output(answers, tmp_path, capsys) -> None:
    with freeze_time("2026-11-27"):
        assert cli.main(["report", str(answers), "-o", str(tmp_path)]) == 2
        assert "is a folder" in capsys.readouterr().err
        assert cli.main(["report", str(answers), "-o", str(tmp_path / "missing" / "x.pdf")]) == 2
        assert "no such folder" in capsys.readouterr().err
        assert cli.main(["report", str(answers), "-o", str(tmp_path / "x.txt")]) == 2
        assert "must end in .pdf" in capsys.readouterr().err


# --------------------------------------------------------------------------- pagination of every example document


def _example_documents(home, selfcheck):
    from datetime import date

    from safehome.core.compare import compare

    visit = example_assessment(home, date(2026, 11, 27))
    earlier = make(home, {"ft_tug": 15.2, "hw_rugs": "yes", "st_rails": "yes"}, day=date(2026, 8, 1))
    own = example_assessment(selfcheck, date(2026, 11, 27))
    yield "home", pdf_for(home, visit), home
    yield "home large", pdf_for(home, visit, large_print=True), home
    yield "clinician", pdf_for(home, visit, audience="clinician"), home
    yield "clinician large", pdf_for(home, visit, audience="clinician", large_print=True), home
    compared = compare(home, earlier, visit)
    yield "clinician compared", pdf_for(home, visit, audience="clinician", comparison=compared), home
    yield "clinician every item", pdf_for(home, visit, audience="clinician", all_items=True), home
    yield "self-check", pdf_for(selfcheck, own), selfcheck
    yield "self-check large", pdf_for(selfcheck, own, large_print=True), selfcheck


def _headings(checklist) -> set[str]:
    from safehome.i18n.words import t

    titles = {s.title for s in checklist.sections} | {s.plain_title for s in checklist.sections if s.plain_title}
    titles |= {g.title for g in checklist.warning_signs}
    keys = (
        "pdf.home.actions.title",
        "pdf.home.advice",
        "pdf.home.referrals",
        "pdf.home.recheck.title",
        "pdf.home.about.title",
        "pdf.home.notes.title",
        "pdf.home.signs.title",
        "pdf.home.flags.title",
        "pdf.home.call.title",
        "pdf.unchecked.title",
        "pdf.clinician.referrals",
        "pdf.clinician.appendix",
        "pdf.clinician.every_item",
        "pdf.clinician.reviewed_by",
    )
    return titles | {t(k) for k in keys}


def _body_lines(page: str) -> list[str]:
    """The page's lines without the running header and footer (drawn last, so extracted last)."""
    lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    return [
        line
        for line in lines
        if not line.startswith(("Home safety action plan:", "Home safety assessment: clinician summary:"))
        and not line.startswith(("Made on ", "Assessed "))
        and " of " not in line[-10:]
    ]


def test_no_heading_ends_a_page_and_no_page_is_nearly_empty(home, selfcheck) -> None:
    for name, data, checklist in _example_documents(home, selfcheck):
        headings = _headings(checklist)
        pages = text_of(data)
        for n, page in enumerate(pages, 1):
            body = _body_lines(page)
            if "Notes and questions for your team" in page:
                continue  # the page of lines to write on
            assert len(body) >= 3, f"{name}: page {n} holds only {body}"
            if n < len(pages):
                for line in body[-2:]:
                    assert line not in headings, f"{name}: page {n} ends with the heading {line!r}"


def _vocabulary(checklist) -> set[str]:
    import re

    from safehome.i18n.words import MESSAGES

    texts = list(MESSAGES.values())
    for section, item in checklist.items():
        texts += [section.title, item.prompt, item.action or "", item.statement or "", item.why or ""]
    return {w.casefold() for text in texts for w in re.findall(r"[A-Za-z]+", text)}


def test_no_word_is_broken_across_lines(home, selfcheck) -> None:
    import re

    for name, data, checklist in _example_documents(home, selfcheck):
        words = _vocabulary(checklist)
        for page in text_of(data):
            lines = [line.split() for line in page.splitlines() if line.split()]
            for before, after in itertools.pairwise(lines):
                tail = re.sub(r"[^A-Za-z]", "", before[-1]).casefold()
                head = re.sub(r"[^A-Za-z]", "", after[0]).casefold()
                if tail and head and tail + head in words and head not in words:
                    raise AssertionError(f"{name}: {before[-1]!r} / {after[0]!r} is a word cut in two")


# --------------------------------------------------------------------------- names and notes in other scripts

SCRIPTS = {
    "Arabic": ("مريم الحسيني", "NotoSansArabic"),
    "Hebrew": ("שלום עולם", "NotoSansHebrew"),
    "Chinese": ("张伟", "STSong-Light"),
    "Japanese": ("さくら", "HeiseiKakuGo-W5"),
    "Korean": ("김민준", "HYGothic-Medium"),
    "Punjabi": ("ਸਤਿ ਸ੍ਰੀ ਅਕਾਲ", "NotoSansGurmukhi"),
    "Cyrillic": ("Иван Петров", None),
    "Greek": ("Ελένη Παπαδοπούλου", None),
    "Vietnamese": ("Nguyễn Thị Hương", None),
}


def _fonts_of(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1].lstrip("/"))
    return names


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_names_and_notes_print_in_their_own_script(home, script) -> None:
    sample, font = SCRIPTS[script]
    a = make(home, {"hw_rugs": "yes"}, profile={"name": sample}, notes={"hw_rugs": f"{sample} 1 2"})
    for audience in ("home", "clinician"):
        data = pdf_for(home, a, audience=audience)
        text = "".join(text_of(data))
        if audience == "home":  # the handout asks no questions: a "?" would be a stand-in
            assert "?" not in text
        # pypdf gives right-to-left text in display order: compare the letters, not their order
        for ch in sample.replace(" ", ""):
            assert ch in text, (script, ch)
        if font is not None:
            assert any(name.startswith(font) for name in _fonts_of(data)), (script, _fonts_of(data))


def test_a_fallback_font_is_loaded_only_when_a_run_needs_it(home, example, home_pdf) -> None:
    assert _fonts_of(home_pdf) == {"AtkinsonHyperlegible-Regular", "AtkinsonHyperlegible-Bold"}


def test_right_to_left_runs_are_put_in_display_order() -> None:
    from safehome.reports import fonts

    assert fonts.runs("Ann שלום עולם!") == [(None, "Ann "), ("NotoSansHebrew", "שלום עולם"), (None, "!")]
    assert fonts.visual("שלום עולם", "NotoSansHebrew") == "םלוע םולש"
    assert fonts.visual("مريم الحسيني", "NotoSansArabic") == "الحسيني مريم"  # HarfBuzz orders the letters


def test_what_a_patient_wrote_for_the_team_is_printed_on_the_notes_page(selfcheck, home) -> None:
    """A self-check's free-text answer is the person's own message to their team: it prints on
    the notes page of their handout (a clinician's visit notes do not)."""
    from datetime import date

    mine = example_assessment(selfcheck, date(2026, 11, 27))
    mine.answers["my_notes"] = Answer(value="Fell on the stairs in February <b>twice</b>")
    pages = text_of(pdf_for(selfcheck, mine))
    assert "You wrote: Fell on the stairs in February <b>twice</b>" in flat(pages[-1:])
    visit = example_assessment(home, date(2026, 11, 27))
    assert "You wrote" not in flat(text_of(pdf_for(home, visit)))
