"""The OT field kit, part 2 (issue 33): photos kept without a byte of the camera's metadata, hostile
files refused with nothing half-stored, referral letters on one page in both languages for every
kind, and the whole report in one action."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from .conftest import DAY
from safehome import service
from safehome.core.errors import UsageError
from safehome.core.example import example_assessment
from safehome.core.letters import KINDS, build_letter
from safehome.core.models import Answer
from safehome.core.plan import build_plan
from safehome.core.profile import Profile
from safehome.core.score import score
from safehome.faces.cli import main
from safehome.storage.store import Store

CAMERA = "SafehomeTestCam-4711"  # the camera's make, in the EXIF
COMMENT = b"JPEG-COMMENT-4711"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description GPSLatitude="43,39.2N"/></x:xmpmeta>'
GPS = {1: "N", 2: (43.0, 39.0, 12.5), 3: "W", 4: (79.0, 23.0, 1.0)}  # Toronto, as a phone records it
CAPTION = "Tub: towel bar used as a grab bar"


def camera_photo(path: Path, size: tuple[int, int] = (600, 400), orientation: int = 6, fmt: str = "JPEG") -> Path:
    """A photo as a phone writes it: a maker, GPS, a comment and XMP, turned by the Orientation tag
    (6: the camera was held upright, the pixels lie on their side). The left third is black, so
    which way up it was stored can be read back."""
    image = Image.new("RGB", size, (230, 230, 230))
    image.paste((0, 0, 0), (0, 0, size[0] // 3, size[1]))
    exif = Image.Exif()
    exif[0x010F] = CAMERA
    exif[0x0112] = orientation
    exif[0x8825] = GPS
    if fmt == "JPEG":
        image.save(path, "JPEG", exif=exif, comment=COMMENT, xmp=XMP, quality=92)
    elif fmt == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
        image.save(path, "HEIF", exif=exif.tobytes(), quality=80)
    else:
        image.save(path, fmt, exif=exif)
    return path


def no_metadata(data: bytes) -> None:
    """Nothing of the camera in a file: no maker, no comment, no XMP, no EXIF or GPS block."""
    assert CAMERA.encode() not in data
    assert COMMENT not in data
    assert b"xmpmeta" not in data and b"GPSLatitude" not in data
    assert b"Exif\x00\x00" not in data  # the EXIF APP1 header (GPS lives inside it)


def jpeg_segments(data: bytes) -> list[int]:
    """The marker of every segment before the picture data of a JPEG."""
    assert data[:2] == b"\xff\xd8"
    found, at = [], 2
    while at < len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        found.append(marker)
        if marker == 0xDA:  # start of scan: the picture itself follows
            break
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return found


@pytest.fixture
def visit(home, tmp_path, capsys) -> tuple[list[str], Path]:
    """The example visit imported as visit 1, and the CLI's data-folder arguments."""
    answers = tmp_path / "visit.json"
    answers.write_text(example_assessment(home, DAY).model_dump_json(), encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "import", str(answers)]) == 0
    capsys.readouterr()
    return data, tmp_path / "d"


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def with_a_photo(data: list[str], tmp_path: Path, capsys) -> None:
    """Visit 1 gets a phone photo (with all its metadata) on its grab-bar question, captioned."""
    photo = camera_photo(tmp_path / "a.jpg")
    assert run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(photo), "--caption", CAPTION])[0] == 0


def every_file(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


# --------------------------------------------------------------------------- photos: nothing of the camera


def test_a_phone_photo_is_kept_upright_small_and_without_a_byte_of_its_metadata(visit, tmp_path, capsys) -> None:
    data, folder = visit
    photo = camera_photo(tmp_path / "IMG_0001.jpg", size=(4000, 3000))
    raw = photo.read_bytes()
    assert CAMERA.encode() in raw and COMMENT in raw and b"xmpmeta" in raw  # the test photo has them all
    code, out, _ = run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(photo), "--caption", CAPTION])
    assert code == 0 and "Photo 1 kept on 'ba_grab_bars' of visit 1" in out
    with service.Desk(folder) as desk:
        (kept,) = desk.photos(1, with_data=True)
    assert (kept.width, kept.height) == (1200, 1600)  # turned upright (Orientation 6), longest side 1600
    no_metadata(kept.jpeg)
    assert jpeg_segments(kept.jpeg)[0] == 0xDB or 0xE1 not in jpeg_segments(kept.jpeg)  # no APP1 at all
    assert all(m not in (0xE1, 0xE2, 0xED, 0xFE) for m in jpeg_segments(kept.jpeg))  # EXIF/XMP, ICC, IPTC, comment
    upright = Image.open(io.BytesIO(kept.jpeg))
    assert upright.getexif() == {} and "exif" not in upright.info and "comment" not in upright.info
    # the black third of the sensor is at the top once turned the way the camera was held
    assert upright.getpixel((600, 100))[0] < 40 and upright.getpixel((600, 1500))[0] > 200
    # and in every file safehome writes: the store, the summary, a handout with photos, the letters
    assert run(capsys, [*data, "report", "1", "--pack", "--with-photos", "--output-dir", str(tmp_path / "p")])[0] == 0
    assert run(capsys, [*data, "export", "1", "-o", str(tmp_path / "e.json")])[0] == 0
    written = every_file(folder) + every_file(tmp_path / "p") + [tmp_path / "e.json"]
    assert len(written) >= 6
    for path in written:
        no_metadata(path.read_bytes())


def test_the_pdf_holds_the_clean_photo_and_the_handout_only_when_asked(visit, tmp_path, capsys) -> None:
    data, _folder = visit
    with_a_photo(data, tmp_path, capsys)
    out = tmp_path / "out"
    out.mkdir()
    for name, extra in (
        ("summary.pdf", ["--audience", "clinician"]),
        ("plain.pdf", []),
        ("with.pdf", ["--with-photos"]),
    ):
        assert run(capsys, [*data, "report", "1", "-o", str(out / name), *extra])[0] == 0

    def images(name: str) -> list[bytes]:
        return [image.data for page in PdfReader(out / name).pages for image in page.images]

    (summary,) = images("summary.pdf")
    assert summary[:2] == b"\xff\xd8" and all(m != 0xE1 for m in jpeg_segments(summary))
    text = "".join(page.extract_text() for page in PdfReader(out / "summary.pdf").pages)
    assert "Photos from the visit (1)" in text and CAPTION in text and "grab bars" in text
    assert images("plain.pdf") == []  # the person's handout: never unless asked
    assert len(images("with.pdf")) == 1


def test_an_iphone_heic_photo_is_read_and_kept_as_a_clean_jpeg(visit, tmp_path, capsys) -> None:
    data, folder = visit
    heic = camera_photo(tmp_path / "IMG_0002.HEIC", size=(900, 600), fmt="HEIF")
    assert heic.read_bytes()[4:12] in (b"ftypheic", b"ftypmif1", b"ftypheix")
    assert run(capsys, [*data, "photo", "add", "1", "ba_toilet_cm", str(heic)])[0] == 0
    with service.Desk(folder) as desk:
        (kept,) = desk.photos(1, with_data=True)
    assert kept.jpeg[:2] == b"\xff\xd8" and (kept.width, kept.height) == (600, 900)
    no_metadata(kept.jpeg)


def hostile(tmp_path: Path) -> dict[str, Path]:
    files = {}
    files["text"] = tmp_path / "notes.jpg"
    files["text"].write_text("not a photo at all", encoding="utf-8")
    files["empty"] = tmp_path / "empty.jpg"
    files["empty"].write_bytes(b"")
    whole = camera_photo(tmp_path / "whole.jpg", size=(800, 600)).read_bytes()
    files["truncated"] = tmp_path / "cut.jpg"
    files["truncated"].write_bytes(whole[: len(whole) // 2])
    files["huge"] = tmp_path / "huge.jpg"
    with files["huge"].open("wb") as handle:  # 41 MB, sparse: never read whole
        handle.truncate(41 * 1024 * 1024)
    # a decompression bomb: a small PNG whose header claims 100,000 x 100,000 pixels
    png = io.BytesIO()
    Image.new("L", (1, 1)).save(png, "PNG")
    import struct
    import zlib

    header = b"IHDR" + struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    bomb = png.getvalue()[:8] + struct.pack(">I", 13) + header + struct.pack(">I", zlib.crc32(header))
    files["bomb"] = tmp_path / "bomb.png"
    files["bomb"].write_bytes(bomb + png.getvalue()[33:])
    files["svg"] = tmp_path / "drawing.png"
    files["svg"].write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    files["pdf"] = tmp_path / "scan.jpg"
    files["pdf"].write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    files["folder"] = tmp_path / "a-folder"
    files["folder"].mkdir()
    files["missing"] = tmp_path / "nowhere.jpg"
    return files


@pytest.mark.parametrize("kind", ["text", "empty", "truncated", "huge", "bomb", "svg", "pdf", "folder", "missing"])
def test_a_hostile_file_is_one_sentence_exit_2_and_nothing_is_kept(visit, tmp_path, capsys, kind) -> None:
    data, folder = visit
    bad = hostile(tmp_path)[kind]
    store_file = folder / "safehome.sqlite3"
    with service.Desk(folder) as desk:
        desk.checkpoint()
    before = store_file.read_bytes()
    code, out, err = run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(bad)])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, err
    assert not (folder / "safehome-errors.log").exists()  # refused, not a fault
    with service.Desk(folder) as desk:
        assert desk.photos(1) == []
        desk.checkpoint()
    assert store_file.read_bytes() == before  # not a byte written


def test_an_answers_file_brings_its_photos_all_or_none(home, tmp_path, capsys) -> None:
    assessment = example_assessment(home, DAY)
    camera_photo(tmp_path / "tub.jpg")
    camera_photo(tmp_path / "toilet.jpg", orientation=1)
    refs = [
        {"item": "ba_grab_bars", "file": "tub.jpg", "caption": CAPTION},
        {"item": "ba_toilet_cm", "file": "toilet.jpg"},
    ]
    good = tmp_path / "good.json"
    good.write_text(json.dumps(json.loads(assessment.model_dump_json()) | {"photos": refs}), encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "d")]
    # a report straight from the file shows them (nothing stored)
    assert run(capsys, [*data, "report", str(good), "--audience", "clinician", "-o", str(tmp_path / "s.pdf")])[0] == 0
    assert len([i for page in PdfReader(tmp_path / "s.pdf").pages for i in page.images]) == 2
    assert run(capsys, [*data, "import", str(good)])[0] == 0
    with service.Desk(tmp_path / "d") as desk:
        kept = desk.photos(1)
        assert [(p.item_id, p.caption) for p in kept] == [("ba_grab_bars", CAPTION), ("ba_toilet_cm", None)]
    # one bad photo: the visit is not imported at all, and the error names the file
    (tmp_path / "toilet.jpg").write_bytes(b"GIF89a broken")
    code, _, err = run(capsys, [*data, "import", str(good)])
    assert code == 2 and "toilet.jpg" in err
    unknown = tmp_path / "unknown.json"
    unknown.write_text(
        json.dumps(json.loads(assessment.model_dump_json()) | {"photos": [{"item": "ba_grab_bar", "file": "tub.jpg"}]}),
        encoding="utf-8",
    )
    code, _, err = run(capsys, [*data, "import", str(unknown)])
    assert code == 2 and "did you mean ba_grab_bars" in err
    with service.Desk(tmp_path / "d") as desk:
        assert [s.id for s in desk.assessments()] == [1]


def test_a_deleted_person_leaves_no_photo_and_no_caption_in_any_file(visit, tmp_path, capsys) -> None:
    data, folder = visit
    secret = "Caption-Secret-4711"
    photo = camera_photo(tmp_path / "a.jpg", orientation=1)
    assert run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(photo), "--caption", secret])[0] == 0
    with service.Desk(folder) as desk:
        (kept,) = desk.photos(1, with_data=True)
    assert run(capsys, [*data, "report", "1", "--pack"])[0] == 0
    assert run(capsys, [*data, "delete", "--person", "1", "--yes"])[0] == 0
    leftovers = every_file(folder)
    for path in leftovers:
        raw = path.read_bytes()
        assert secret.encode() not in raw and kept.jpeg[600:664] not in raw, path


def test_a_visit_keeps_at_most_its_limit_of_photos_and_a_photo_can_be_removed(
    visit, tmp_path, capsys, monkeypatch
) -> None:
    data, _folder = visit
    import safehome.service.photos as photos_service

    monkeypatch.setattr(photos_service, "MAX_PER_VISIT", 2)
    photo = camera_photo(tmp_path / "a.jpg", size=(60, 40), orientation=1)
    assert run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(photo)])[0] == 0
    assert run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(photo), "--caption", "a\nb\x1b[31m"])[0] == 0
    code, _, err = run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(photo)])
    assert code == 2 and "at most 2 photos" in err
    code, out, _ = run(capsys, [*data, "photo", "list", "1", "--json"])
    listed = json.loads(out)
    assert [p["caption"] for p in listed] == [None, "a b\x1b[31m"]  # one line; shown literally, never run
    assert run(capsys, [*data, "photo", "remove", "1", "2"])[0] == 0
    code, _, err = run(capsys, [*data, "photo", "remove", "1", "2"])
    assert code == 2 and "has no photo 2" in err
    code, out, _ = run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(photo)])
    assert code == 0 and out.startswith("Photo 3 kept")  # a removed photo's number is never given again
    assert run(capsys, [*data, "photo", "list", "9"])[0] == 2


def test_a_photo_makes_the_written_summary_out_of_date(home, tmp_path) -> None:
    photo = camera_photo(tmp_path / "a.jpg", size=(60, 40), orientation=1)
    with service.Desk(tmp_path / "d") as desk:
        session = desk.start(home, "clinician", Profile(name="Ann Lee"), DAY)
        session.answer("ws_back_pain", "no")
        before = session.digest()
        assert before == session.assessment().digest()  # no photo: the answers alone, as before
        session.add_photo("ba_grab_bars", photo, "by the tub")
        assert session.digest() != before and session.photo_count("ba_grab_bars") == 1


def test_a_folder_of_phone_pictures_lists_photos_newest_first(tmp_path) -> None:
    for n, name in enumerate(["IMG_1.jpg", "IMG_2.HEIC", "notes.txt", ".hidden.jpg", "IMG_3.png"]):
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (1_700_000_000 + n, 1_700_000_000 + n))
    (tmp_path / "sub.jpg").mkdir()
    assert [p.name for p in service.folder_photos(tmp_path)] == ["IMG_3.png", "IMG_2.HEIC", "IMG_1.jpg"]
    with pytest.raises(UsageError):
        service.folder_photos(tmp_path / "IMG_1.jpg")


# --------------------------------------------------------------------------- letters


def pages_and_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


ASKS = {  # the start of each kind's request, in each language
    "en-CA": {
        "physiotherapy": "Please assess strength, balance and walking",
        "occupational_therapy": "Please assess how the person manages",
        "treating_team": "Please review these findings and the fracture risk",
        "pharmacist": "Please review the medicines that raise the risk",
        "family_doctor": "For your information",
        "home_care": "Please help the household",
    },
    "fr-CA": {
        "physiotherapy": "Veuillez évaluer la force",
        "occupational_therapy": "Veuillez évaluer comment la personne",
        "treating_team": "Veuillez revoir ces constats",
        "pharmacist": "Veuillez revoir les médicaments",
        "family_doctor": "Pour votre information",
        "home_care": "Veuillez aider le foyer",
    },
}


@pytest.mark.parametrize("language", ["en-CA", "fr-CA"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_letter_is_one_page_in_the_visits_language(home, tmp_path, capsys, kind, language) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    answers = tmp_path / "visit.json"
    answers.write_text(example_assessment(home, DAY).model_copy(update={"language": language}).model_dump_json())
    assert run(capsys, [*data, "import", str(answers)])[0] == 0
    target = tmp_path / f"{kind}.pdf"
    code, out, err = run(capsys, [*data, "letter", "1", "--to", kind.replace("_", "-"), "-o", str(target)])
    assert code == 0, err
    pages, text = pages_and_text(target)
    assert pages == 1
    assert ASKS[language][kind] in text
    other = ASKS["fr-CA" if language == "en-CA" else "en-CA"][kind]
    assert other not in text
    assert "Zoë Tremblay" in text and ("How soon: " if language == "en-CA" else "Délai : ") in text
    assert os.stat(target).st_mode & 0o777 == 0o600
    # the text form says the same, in the same order
    code, out, _ = run(capsys, [*data, "letter", "1", "--to", kind.replace("_", "-"), "--text"])
    assert code == 0 and ASKS[language][kind] in " ".join(out.split())


def test_a_letter_says_what_the_summary_says_never_retyped(home) -> None:
    assessment = example_assessment(home, DAY)
    result = score(home, assessment)
    plan = build_plan(home, assessment, result)
    physio = next(r for r in plan.referrals if r.to == "physiotherapy")
    letter = build_letter(home, assessment, result, plan, "physiotherapy")
    assert letter.called_for and letter.reasons == physio.reasons[:4]
    text = letter.text()
    assert "Stay Independent: 7 of 14" in text and "Timed Up and Go: 13.5 s" in text
    assert "Tub wall height: 41.5 cm" in text.replace("\u00a0", " ")  # a measurement that needs action
    assert "Grab bar: Ordered" in text  # equipment still to come
    assert "How soon: routine (no warning sign was reported; every sign was asked)" in text
    # a kind the visit does not call for says so, never invents a reason
    care = build_letter(home, assessment, result, plan, "home_care")
    assert not care.called_for and "may need help with the actions" in care.text()


def test_a_visit_with_every_warning_sign_still_gives_one_page_letters_that_put_the_team_first(home, tmp_path) -> None:
    assessment = example_assessment(home, DAY)
    answers = dict(assessment.answers)
    for _, item in home.items():
        if item.red_flag and item.answer.kind == "yes_no":
            answers[item.id] = Answer(value="yes")
    loud = assessment.model_copy(update={"answers": answers})
    result = score(home, loud)
    plan = build_plan(home, loud, result)
    assert len(plan.red_flags) >= 10
    for kind in KINDS:
        data = service.letter_bytes(home, loud, kind, service.ReportOptions(), text=False)
        assert len(PdfReader(io.BytesIO(data)).pages) == 1, kind
        text = service.letter_bytes(home, loud, kind, service.ReportOptions(), text=True).decode()
        assert "EMERGENCY: call 911 now" in text
        assert ("How soon: after the cancer team has seen the person" in text) == (kind != "treating_team")
        assert "more: the sender can send the full summary" in text  # the rest are counted, never dropped silently


def test_a_letter_to_a_kind_there_is_not_is_one_sentence(visit, capsys) -> None:
    data, _ = visit
    code, _, err = run(capsys, [*data, "letter", "1", "--to", "dentist"])
    assert code == 2 and "choose one of physiotherapy, occupational-therapy" in err


def test_a_name_with_control_characters_is_neutralised_in_the_text_letter(home) -> None:
    assessment = example_assessment(home, DAY)
    named = assessment.model_copy(update={"profile": assessment.profile.model_copy(update={"name": "Ann\x1b[2J Lee"})})
    text = service.letter_bytes(home, named, "physiotherapy", service.ReportOptions(), text=True).decode()
    assert "\x1b" not in text and "Ann[2J Lee" in text


# --------------------------------------------------------------------------- the whole report in one action


def test_the_pack_writes_summary_handout_and_the_letters_its_referrals_call_for(visit, tmp_path, capsys) -> None:
    data, folder = visit
    with_a_photo(data, tmp_path, capsys)
    out = tmp_path / "pack"
    code, said, _ = run(capsys, [*data, "report", "1", "--pack", "--output-dir", str(out)])
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "2026-11-27-ZT-clinician-1.pdf",
        "2026-11-27-ZT-home-1.ics",  # the re-check, beside the handout
        "2026-11-27-ZT-home-1.pdf",
        "2026-11-27-ZT-letter-pharmacist-1.pdf",
        "2026-11-27-ZT-letter-physiotherapy-1.pdf",
    ]  # no letter to occupational therapy from an occupational therapist's own visit
    assert said.count("wrote ") == 5 and "to open in a calendar" in said
    assert os.stat(out).st_mode & 0o777 == 0o700 and all(os.stat(p).st_mode & 0o777 == 0o600 for p in out.iterdir())
    summary = pages_and_text(out / "2026-11-27-ZT-clinician-1.pdf")[1]
    assert "Photos from the visit (1)" in summary and "Measurements" in summary and "Equipment" in summary
    # again without --force: nothing written, not even the first file
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    code, _, err = run(capsys, [*data, "report", "1", "--pack", "--output-dir", str(out)])
    assert code == 2 and "home-1.pdf" in err
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    with service.Desk(folder) as desk:
        assert len(desk.files(1)) == 5  # every file recorded (the reminder too): deleting the person removes them
    assert run(capsys, [*data, "delete", "--person", "1", "--yes"])[0] == 0
    assert list(out.iterdir()) == []


def test_pack_options_that_cannot_go_together_are_one_sentence(visit, tmp_path, capsys) -> None:
    data, _ = visit
    for argv, said in (
        (["report", "1", "--pack", "-o", str(tmp_path / "x.pdf")], "--output-dir"),
        (["report", "--all", "--pack"], "name one visit"),
        (["report", "1", "--output-dir", str(tmp_path)], "--pack or --all"),
        (["letter", "1", "--to", "physiotherapy", "-o", str(tmp_path / "x.txt")], "must end in .pdf"),
    ):
        code, _, err = run(capsys, [*data, *argv])
        assert code == 2 and said in err and err.count("\n") == 1


def test_a_store_from_before_photos_opens_and_gains_them(tmp_path, home) -> None:
    import sqlite3

    from safehome.storage.schema import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for n, migration in enumerate(MIGRATIONS[:7]):
        for step in migration.steps:
            conn.execute(step) if isinstance(step, str) else step(conn)
        conn.execute(f"PRAGMA user_version = {n + 1}")
    conn.commit()
    conn.close()
    with Store(path) as store:
        aid = store.create(example_assessment(home, DAY))
        assert store.photos(aid) == [] and store.photos_digest(aid) == ""


# --------------------------------------------------------------------------- the app


async def test_the_app_adds_a_photo_picked_from_a_folder_and_p_on_the_review_writes_the_pack(home, tmp_path) -> None:
    from textual.widgets import Input, OptionList

    from safehome.faces.tui.screens.photo import PhotoScreen
    from safehome.faces.tui.screens.questions import QuestionScreen
    from safehome.faces.tui.screens.review import ReviewScreen

    from .test_tui import Keys, make_app

    phone = tmp_path / "phone"
    phone.mkdir()
    camera_photo(phone / "IMG_0001.jpg", size=(300, 200))
    (phone / "IMG_0002.txt").write_text("not a photo")
    # a stored visit with the example's answers: its referrals call for letters
    with service.Desk(tmp_path / "data") as desk:
        aid = desk.add(example_assessment(home, DAY), status="in-progress")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("enter")  # resume the visit
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        await keys("p")
        assert isinstance(app.screen, PhotoScreen)
        await keys.type("/nowhere/at/all.jpg")
        await keys("enter", "enter")  # a file that is not there: one sentence, the box stays
        assert isinstance(app.screen, PhotoScreen)
        assert "there is no photo file" in str(app.screen.query_one("#photo-error").render())
        app.screen.query_one("#photo-path", Input).value = str(phone)
        app.screen.query_one("#photo-path", Input).focus()
        await keys("enter")
        listed = app.screen.query_one("#photo-list", OptionList)
        assert listed.option_count == 1  # the photo only, not the text file
        await keys("enter")  # pick it; then the caption
        await keys.type("Tub rim")
        await keys("enter")
        assert isinstance(app.screen, QuestionScreen)
        item = app.screen.session.current.item.id
        assert "1 photo(s)" in str(app.screen.query_one("#counter").render())
        await keys("r")
        assert isinstance(app.screen, ReviewScreen)
        await keys("p")
        await pilot.pause(0.5)
    with service.Desk(tmp_path / "data") as desk:
        (kept,) = desk.photos(aid, with_data=True)
        assert (kept.item_id, kept.caption, kept.width, kept.height) == (item, "Tub rim", 200, 300)
        no_metadata(kept.jpeg)
    names = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert names == [
        f"2026-11-27-ZT-clinician-{aid}.pdf",
        f"2026-11-27-ZT-home-{aid}.ics",
        f"2026-11-27-ZT-home-{aid}.pdf",
        f"2026-11-27-ZT-letter-pharmacist-{aid}.pdf",
        f"2026-11-27-ZT-letter-physiotherapy-{aid}.pdf",
    ]
    summary = pages_and_text(tmp_path / "reports" / f"2026-11-27-ZT-clinician-{aid}.pdf")[1]
    assert "Photos from the visit (1)" in summary and "Tub rim" in summary


def test_a_see_through_png_is_kept_on_white_and_a_caption_too_long_is_refused(visit, tmp_path, capsys) -> None:
    data, folder = visit
    clear = tmp_path / "clear.png"
    image = Image.new("RGBA", (40, 20), (0, 0, 0, 0))  # see-through black: on paper, nothing
    image.paste((200, 0, 0, 255), (0, 0, 10, 20))
    image.save(clear)
    assert run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(clear)])[0] == 0
    with service.Desk(folder) as desk:
        (kept,) = desk.photos(1, with_data=True)
    shown = Image.open(io.BytesIO(kept.jpeg)).convert("RGB")
    assert min(shown.getpixel((30, 10))) > 240 and shown.getpixel((3, 10))[0] > 150  # white, and the red kept
    code, _, err = run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(clear), "--caption", "x" * 201])
    assert code == 2 and "201 characters" in err and "at most 200" in err
    with service.Desk(folder) as desk:
        assert len(desk.photos(1)) == 1  # nothing cut short and kept


def test_a_16_bit_grey_photo_keeps_its_greys(visit, tmp_path, capsys) -> None:
    data, folder = visit
    grey = tmp_path / "grey16.png"
    Image.new("I;16", (60, 40), 40000).save(grey)  # 40,000 of 65,535: a mid grey, never white
    assert run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(grey)])[0] == 0
    with service.Desk(folder) as desk:
        (kept,) = desk.photos(1, with_data=True)
    assert 140 < Image.open(io.BytesIO(kept.jpeg)).convert("L").getpixel((30, 20)) < 170


def test_odd_inputs_get_their_own_sentence(visit, tmp_path, capsys) -> None:
    data, _ = visit
    pipe = tmp_path / "pipe.jpg"
    os.mkfifo(pipe)
    code, _, err = run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(pipe)])
    assert code == 2 and "is not a photo file (a folder, a device or a pipe)" in err
    photo = camera_photo(tmp_path / "a.jpg", size=(60, 40), orientation=1)
    code, _, err = run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(photo), "--caption", "caf\udce9"])
    assert code == 2 and "not valid text" in err  # bytes from the terminal that are not UTF-8
    odd = tmp_path / "two\nlines.jpg"
    code, _, err = run(capsys, [*data, "photo", "add", "1", "ba_grab_bars", str(odd)])
    assert code == 2 and err.count("\n") == 1  # a name with a line break is said on one line


def test_a_pack_stopped_by_a_link_where_a_file_would_go_writes_nothing(visit, tmp_path, capsys) -> None:
    data, _ = visit
    out = tmp_path / "new" / "deep" / "pack"
    out.mkdir(parents=True)
    (out / "2026-11-27-ZT-letter-pharmacist-1.pdf").symlink_to(tmp_path / "nowhere")
    code, _, err = run(capsys, [*data, "report", "1", "--pack", "--output-dir", str(out)])
    assert code == 2 and "pharmacist" in err
    assert [p.name for p in out.iterdir()] == ["2026-11-27-ZT-letter-pharmacist-1.pdf"]  # nothing else written
    fresh = tmp_path / "a" / "b" / "c"
    assert run(capsys, [*data, "report", "1", "--pack", "--output-dir", str(fresh)])[0] == 0
    assert all(os.stat(p).st_mode & 0o777 == 0o700 for p in (tmp_path / "a", tmp_path / "a" / "b", fresh))
