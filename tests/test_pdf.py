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

from safehome import cli
from safehome.example import example_assessment
from safehome.pdf import render_plan
from safehome.scoring import build_plan, score

from .conftest import make

GOLDEN = Path(__file__).parent / "golden" / "example-home.sha256"


def pdf_for(checklist, assessment, **kwargs) -> bytes:
    result = score(checklist, assessment)
    return render_plan(checklist, assessment, result, build_plan(checklist, assessment, result), **kwargs)


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
    assert "Call your healthcare team now if you have any of these" in flat(pages[:1])
    for group in home.warning_signs:
        assert group.title in text
        for sign in group.signs:
            assert " ".join(sign.split()) in text
    plan = build_plan(home, example)
    for action in plan.actions:
        assert " ".join(action.action.split()) in text, action.item_id
    assert text.count("Done on:") == len(plan.actions)
    for part in (
        "What to do, most important first",
        "Moving safely with your bones",
        "Ask your healthcare team about",
        "Check again",
        "What this plan is and is not",
        "not medical advice",
    ):
        assert part in text
    assert "December 27, 2026" in text
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in page
        assert "Home safety action plan: Zoë Tremblay" in page
        assert "Assessed 2026-11-27 · bone-metastases-home-visit v2.0" in page


def test_red_flag_box_comes_first_with_what_to_do_for_its_tier(home) -> None:
    a = make(home, {"ws_limb_weakness_new": "yes", "ws_back_pain": "yes", "hw_rugs": "yes"})
    first = flat(text_of(pdf_for(home, a))[:1])
    told = first.index("You told us about warning signs. Act on them before anything else on this plan.")
    assert told < first.index("Call your healthcare team now if you have any of these")
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
    assert "No hazards were found" in text and "Call your healthcare team now" in text


def test_user_text_is_printed_literally_and_nothing_is_fetched(home) -> None:
    nasty = '<b>x</b> & <img src="http://127.0.0.1:9/x.png"/> <font size=40>big</font>'
    a = make(
        home,
        {"hw_rugs": "yes", "cs_notes": "Café — “déjà vu” – l’été\nsecond line"},
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
    text = flat(text_of(pdf_for(home, a)))
    assert "Sam ?" in text
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
        "Spine (back or neck), Pelvis (hip bone)",
        "Stay Independent: 7 of 14, may be at risk of falling",
        "13.5 s: at risk of falling",
        "9 stands: below average for women aged 68",
        "SINS 5: stable range",
        "Hazards by section",
        "Referrals",
        "Every item",
        "Reviewed by",
        "Signature:",
    ):
        assert part in text, part
    for _, item in home.items():
        if (item.modes is None or "clinician" in item.modes) and not item.only_if:
            assert " ".join(item.prompt.split()) in text, item.id
    assert "Two rugs in the hall & one by the sink" in text


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
    home_pdf = tmp_path / "reports" / "2026-11-27-ZT-home.pdf"
    clinician_pdf = tmp_path / "reports" / "2026-11-27-ZT-clinician-large.pdf"
    assert home_pdf.read_bytes().startswith(b"%PDF") and clinician_pdf.exists()
    assert os.stat(home_pdf).st_mode & 0o777 == 0o600
    assert os.stat(tmp_path / "reports").st_mode & 0o777 == 0o700


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
    import safehome.files as files

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

    path = default_report_path(a, "home", False)
    assert path.parent == Path("reports") and path.name == "2026-11-27-EX-home.pdf"


def test_report_refuses_bad_output(answers, tmp_path, capsys) -> None:
    with freeze_time("2026-11-27"):
        assert cli.main(["report", str(answers), "-o", str(tmp_path)]) == 2
        assert "is a folder" in capsys.readouterr().err
        assert cli.main(["report", str(answers), "-o", str(tmp_path / "missing" / "x.pdf")]) == 2
        assert "no such folder" in capsys.readouterr().err
        assert cli.main(["report", str(answers), "-o", str(tmp_path / "x.txt")]) == 2
        assert "must end in .pdf" in capsys.readouterr().err
