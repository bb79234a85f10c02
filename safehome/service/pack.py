"""Referral letters and the whole report in one action (``report --pack``, ``p`` on the review).

A letter is made from the same scored visit and plan as the clinician summary, in the visit's
document language, on one page (its lists cut shorter until it fits). The pack is the clinician
summary (measurements, equipment, photos), the person's handout, and a letter for every referral
the plan calls for; no file of it is written over an existing one unless asked.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from safehome.core.errors import UsageError
from safehome.core.options import ReportOptions
from safehome.i18n.words import ENGLISH, LANGUAGES, speaking, t
from safehome.service import documents
from safehome.service.opening import document_language, in_language

if TYPE_CHECKING:
    from safehome.core.compare import Comparison
    from safehome.core.models import Assessment, Checklist
    from safehome.core.records import Photo
    from safehome.service.opening import Opened
    from safehome.storage.store import Store


def letter_kind(text: str) -> str:
    """A kind as typed (``occupational-therapy``), or one sentence naming the kinds there are."""
    from safehome.core.letters import KINDS, kind_of

    kind = kind_of(text)
    if kind not in KINDS:
        raise UsageError(t("letter.no_kind", kind=text[:40], kinds=", ".join(k.replace("_", "-") for k in KINDS)))
    return kind


def _speaks(checklist: Checklist, assessment: Assessment, asked: str | None) -> tuple[Checklist, str]:
    translated = in_language(checklist, document_language(assessment, asked))
    return translated, translated.language if translated.language in LANGUAGES else ENGLISH


def letter_bytes(
    checklist: Checklist, assessment: Assessment, kind: str, options: ReportOptions, *, text: bool
) -> bytes:
    """The letter to ``kind`` as a one-page PDF (or plain text), in the visit's document language."""
    from safehome.core.letters import build_letter
    from safehome.core.plan import build_plan
    from safehome.core.score import score
    from safehome.reports.letter import render_letter

    checklist, speaks = _speaks(checklist, assessment, options.language)
    with speaking(speaks):
        result = score(checklist, assessment)
        plan = build_plan(checklist, assessment, result)
        # the letter, then shorter and shorter (the longest list one line less each time, the rest
        # counted); the longest that fits one page is found by halving, a few renders at most
        letters = [build_letter(checklist, assessment, result, plan, kind)]
        while (shorter := letters[-1].shorter()) is not None:
            letters.append(shorter)
        rendered = {0: render_letter(letters[0], options.paper, speaks)}
        low, high = 0, len(letters) - 1  # the answer lies in [low, high]: the first that fits, else the last
        if rendered[0][1] > 1:
            low = 1
            while low < high:
                middle = (low + high) // 2
                rendered[middle] = render_letter(letters[middle], options.paper, speaks)
                if rendered[middle][1] == 1:
                    high = middle
                else:
                    low = middle + 1
        chosen = low
        if text:
            return letters[chosen].text().encode("utf-8")
        return (rendered.get(chosen) or render_letter(letters[chosen], options.paper, speaks))[0]


def letter_path(assessment: Assessment, kind: str, folder: Path, language: str, *, text: bool) -> Path:
    """``<folder>/<date>-<initials>-letter-<kind>[-fr].pdf`` (``.txt`` for text)."""
    path = documents.default_report_path(assessment, f"letter-{kind.replace('_', '-')}", False, folder, language)
    return path.with_suffix(".txt") if text else path


def write_letter(
    checklist: Checklist,
    assessment: Assessment,
    kind: str,
    options: ReportOptions,
    *,
    text: bool = False,
    output: Path | None = None,
    folder: Path | None = None,
    record: tuple[Store, int] | None = None,
    fresh_name: bool = False,
) -> Path:
    """Write one letter (named like the reports: a stored visit's number in its name), recorded
    with the visit so deleting the person removes it."""
    path = output or _letter_target(checklist, assessment, kind, options, folder, record, text=text)
    if fresh_name and output is None:
        path = documents.free_path(path)
    documents.check_output(path)
    if not text and path.suffix.lower() != ".pdf":  # PDF bytes under another name would open as nothing
        raise UsageError(t("service.not_pdf", path=path))
    if path.exists() and not options.force:
        raise UsageError(t("service.exists", path=path))
    data = letter_bytes(checklist, assessment, kind, options, text=text)
    return documents.write_output(path, data, force=options.force, record=documents.recorded_with(record, assessment))


def _letter_target(
    checklist: Checklist,
    assessment: Assessment,
    kind: str,
    options: ReportOptions,
    folder: Path | None,
    record: tuple[Store, int] | None,
    *,
    text: bool,
) -> Path:
    folder = documents.reports_folder() if folder is None else folder
    documents.private_folder(folder)
    path = letter_path(assessment, kind, folder, _speaks(checklist, assessment, options.language)[1], text=text)
    return path if record is None else documents.numbered(path, record[1])


def write_pack(
    checklist: Checklist,
    assessment: Assessment,
    options: ReportOptions,
    *,
    folder: Path,
    record: tuple[Store, int] | None = None,
    comparison: Comparison | None = None,
    photos: tuple[Photo, ...] = (),
    fresh_name: bool = False,
) -> list[Path]:
    """The handout, the clinician summary and the letters the referrals call for, in ``folder``.

    Every name is checked before the first file is written: without ``force`` (or ``fresh_name``,
    the app's: ``-2``, ``-3``...), a name already taken stops the pack with nothing written."""
    from safehome.core.letters import called_for
    from safehome.core.plan import build_plan

    if folder.exists() and not folder.is_dir():
        raise UsageError(t("cli.report.out_dir_is_file", path=folder))
    documents.private_folder(folder)
    kinds = called_for(build_plan(checklist, assessment), assessment.mode)
    summary = replace(options, audience="clinician", large_print=False)
    handout = replace(options, audience="home")
    if not (fresh_name or options.force):
        speaks = _speaks(checklist, assessment, options.language)[1]
        handout_path = documents.default_report_path(assessment, "home", handout.large_print, folder, speaks)
        targets = [
            documents.default_report_path(assessment, o.audience, o.large_print, folder, speaks)
            for o in (handout, summary)
        ] + [letter_path(assessment, kind, folder, speaks, text=False) for kind in kinds]
        targets.append(handout_path.with_suffix(".ics"))  # the handout's re-check reminder beside it
        for target in targets:
            target = target if record is None else documents.numbered(target, record[1])
            documents.check_output(target)  # a link (even one pointing nowhere), a folder: refused before any file
            if os.path.lexists(target):
                raise UsageError(t("service.exists", path=target))
    written = [
        documents.write_report(
            checklist,
            assessment,
            o,
            folder=folder,
            fresh_name=fresh_name,
            comparison=comparison,
            record=record,
            photos=photos,
        )
        for o in (handout, summary)
    ]
    for kind in kinds:
        written.append(
            write_letter(checklist, assessment, kind, options, folder=folder, record=record, fresh_name=fresh_name)
        )
    return written


def write_file_pack(opened: Opened, options: ReportOptions, folder: Path) -> list[Path]:
    """The whole report of an answers file (its photos read beside it; nothing stored)."""
    from safehome.service.photos import file_photos

    return write_pack(opened.checklist, opened.assessment, options, folder=folder, photos=file_photos(opened))
