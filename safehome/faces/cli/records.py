"""The stored assessments and people: ``list``, ``people``, ``show``, ``export``, ``import``, ``delete``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from safehome import service
from safehome.core.errors import UsageError
from safehome.i18n.words import t
from safehome.core.records import AuditEvent
from safehome.faces.cli.output import EXIT_OK, listing, score_summary, today, wrote

if TYPE_CHECKING:
    from safehome.core.records import Person
    from safehome.core.terms import Status


def _one_person(desk: service.Desk, ref: str) -> Person:
    """The one person ``ref`` names; UsageError when nobody or several people match."""
    people = desk.find_people(ref)
    if not people:
        raise UsageError(t("cli.person.nobody", ref=ref))
    if len(people) > 1:
        ids = ", ".join(str(p.id) for p in people)
        raise UsageError(t("cli.person.several", ref=ref, ids=ids))
    return people[0]


def cmd_list(args: argparse.Namespace) -> int:
    with service.Desk(args.data_dir) as desk:
        person_id = _one_person(desk, args.person).id if args.person else None
        rows = desk.assessments(person_id=person_id, status=args.status)
        # a visit under way counts its answers as the app does (the questions asked now, the profile's
        # answers among them); a finished one, its stored answers
        counts = desk.progress([r for r in rows if r.status == "in-progress"]) if not args.json else {}
    keys = ("id", "person_id", "person", "checklist", "mode", "status", "date", "answered", "updated")
    header = tuple(t(f"cli.list.column.{key}") for key in keys)

    def table() -> list[tuple[str, ...]]:
        return [header] + [
            (
                str(r.id),
                str(r.person_id),
                r.person,
                r.checklist_id,
                t(f"mode.{r.mode}"),
                t(f"status.{r.status}"),
                r.assessed_on,
                t("app.start.progress", done=counts[r.id][0], total=counts[r.id][1])
                if r.id in counts
                else str(r.answered),
                r.updated_at[:16].replace("T", " "),
            )
            for r in rows
        ]

    empty = None if rows else t("cli.list.empty_person" if args.person else "cli.list.empty")
    return listing(args.json, rows, empty, table)


def cmd_people(args: argparse.Namespace) -> int:
    with service.Desk(args.data_dir) as desk:
        people = desk.people(name=args.name)
    header = tuple(t(f"cli.people.column.{key}") for key in ("id", "name", "assessments", "last"))
    table = [header] + [(str(p.id), p.name, str(p.assessments), p.last_assessed or "-") for p in people]
    return listing(args.json, people, None if people else t("cli.people.empty"), lambda: table)


def cmd_show(args: argparse.Namespace) -> int:
    from safehome.core.plan import build_plan
    from safehome.core.score import score

    with service.Desk(args.data_dir) as desk:
        stored = desk.stored(args.id)
        changes = desk.changes(args.id)
    assessment = stored.assessment
    checklist = service.checked(assessment, t("service.stored_source", id=args.id))
    result = score(checklist, assessment)
    print(
        t(
            "cli.show.header",
            id=stored.id,
            status=t(f"status.{stored.status}"),
            created=stored.created_at[:16],
            updated=stored.updated_at[:16],
            changes=changes,
        )
    )
    if stored.status == "in-progress" and stored.position:
        print(t("cli.show.position", position=stored.position))
    print(score_summary(checklist, assessment, result, build_plan(checklist, assessment, result)))
    return EXIT_OK


def cmd_equipment(args: argparse.Namespace) -> int:
    """The equipment of one stored assessment: recommended today or followed from a recorded status,
    each with where it is up to, why, and the measurements that size it."""
    from safehome.core.plan import build_plan

    with service.Desk(args.data_dir) as desk:
        stored = desk.stored(args.id)
    assessment = stored.assessment
    checklist = service.checked(assessment, t("service.stored_source", id=args.id))
    lines = build_plan(checklist, assessment).equipment
    header = tuple(t(f"cli.equipment.column.{key}") for key in ("equipment", "progress", "because", "sizes"))
    table = [header] + [
        (
            line.name,
            line.progress(clinician=True),
            "; ".join(line.because) or t("pdf.fieldkit.carried"),
            "; ".join(line.sizes),
        )
        for line in lines
    ]
    return listing(args.json, lines, None if lines else t("cli.equipment.none", id=args.id), lambda: table)


def cmd_export(args: argparse.Namespace) -> int:
    if args.all:
        return _export_all(args)
    if args.id is None:
        raise UsageError(t("cli.export.needs_id"))
    if args.output_dir:
        raise UsageError(t("cli.export.dir_needs_all"))
    with service.Desk(args.data_dir) as desk:
        data = _exported(desk, args, args.id)
        if not args.output:
            sys.stdout.write(data.decode("utf-8"))
            return EXIT_OK
        path = desk.write_export(args.id, Path(args.output), data, force=args.force)  # removed with the person
    return wrote(path)


def _exported(desk: service.Desk, args: argparse.Namespace, assessment_id: int) -> bytes:
    """One assessment as safehome's JSON, or as a FHIR Bundle (without the name with --no-name)."""
    if args.no_name and args.format != "fhir":
        raise UsageError(t("cli.export.no_name_fhir"))
    return desk.exported(assessment_id, fhir=args.format == "fhir", named=not args.no_name, language=args.lang)


def _export_all(args: argparse.Namespace) -> int:
    """Every stored assessment (or those with --status), one file each, named by date, initials and id."""
    if args.id is not None or args.output:
        raise UsageError(t("cli.export.all_conflict"))
    out_dir = Path(args.output_dir) if args.output_dir else service.reports_folder(args.data_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(t("cli.report.out_dir_is_file", path=out_dir))
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = exists = 0
    with service.Desk(args.data_dir) as desk:
        for row in desk.assessments(status=args.status):
            try:
                stored = desk.stored(row.id)
            except service.StoreError:  # deleted since the list was read: nothing of it is written
                print(t("cli.export.deleted_meanwhile", id=row.id))
                continue
            suffix = ".fhir.json" if args.format == "fhir" else ".json"
            name = f"{row.assessed_on}-{stored.assessment.profile.initials()}-{row.id}{suffix}"
            if args.no_name:  # a de-identified copy's name says nothing of the person
                name = f"assessment-{row.id}{suffix}"
            path = out_dir / name
            if path.exists() and not args.force:
                exists += 1
                continue
            try:
                desk.write_export(row.id, path, _exported(desk, args, row.id), force=args.force)
            except service.StoreError:  # the person was deleted meanwhile: the file never appeared
                print(t("cli.export.deleted_meanwhile", id=row.id))
                continue
            written += 1
    print(t("cli.export.all_done", written=written, exists=exists, path=out_dir))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from safehome.core.score import score

    opened = service.open_file(args.file, today())
    unanswered = score(opened.checklist, opened.assessment).unanswered
    with service.Desk(args.data_dir) as desk:
        person_id = desk.person(args.person).id if args.person is not None else None
        status: Status = "in-progress" if unanswered else "finished"
        new_person = args.new_person or (opened.nameless and person_id is None)
        photos = service.referenced(opened.checklist, opened.assessment, opened.folder) if opened.folder else ()
        aid = desk.add(opened.assessment, status=status, person_id=person_id, new_person=new_person, photos=photos)
    state = t("cli.import.in_progress", count=unanswered) if unanswered else t("cli.import.finished")
    print(t("cli.import.done", path=args.file, id=aid, state=state))
    return EXIT_OK


def _ask(prompt: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(t("cli.delete.needs_terminal"))
    return input(prompt)


def _choose_person(desk: service.Desk, ref: str | None) -> Person | None:
    """The person to act on, asked for by id in the terminal when a name matches several (or none was named)."""
    people = desk.find_people(ref) if ref else desk.people()
    if not people:
        raise UsageError(t("cli.person.nobody", ref=ref) if ref else t("cli.people.empty"))
    if ref and len(people) == 1:
        return people[0]
    for p in people:
        print(t("cli.delete.choice", id=p.id, name=p.name, count=p.assessments, last=p.last_assessed or "-"))
    reply = _ask(t("cli.delete.which")).strip()
    return next((p for p in people if str(p.id) == reply), None)


def cmd_audit(args: argparse.Namespace) -> int:
    """The laptop's audit log: who opened, changed, wrote, exported, imported, deleted or synced what."""
    with service.Desk(args.data_dir) as desk:
        events = desk.events(args.person)
    header = tuple(t(f"cli.audit.column.{key}") for key in ("at", "who", "clinician", "action", "person", "visit"))

    def row(e: AuditEvent) -> tuple[str, ...]:
        return (
            service.local_minute(e.at),
            e.os_user,
            e.clinician or "-",
            t(f"audit.action.{e.action}"),
            "-" if e.person_id is None else str(e.person_id),
            "-" if e.assessment_id is None else str(e.assessment_id),
        )

    empty = None if events else t("cli.audit.empty")
    return listing(args.json, events, empty, lambda: [header, *(row(e) for e in events)])


def cmd_rekey(args: argparse.Namespace) -> int:
    """A new key for the store; its new recovery key shown once."""
    from safehome.faces.cli.asker import TerminalAsker

    recovery = service.rekey(args.data_dir, args.new_passphrase_file)
    print(t("cli.rekey.done"))
    TerminalAsker().recovery_key(service.database_file(args.data_dir), recovery)
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    """Remove the PDFs, letters and exports safehome wrote more than DAYS days ago, naming each."""
    from datetime import UTC, datetime

    with service.Desk(args.data_dir) as desk:
        gone = desk.purge_files(args.older_than, datetime.now(UTC))
    for path in gone.removed:
        print(t("cli.delete.file_removed", path=path))
    for path in gone.left:
        print(t("cli.delete.file_left", path=path))
    print(t("cli.purge.done", count=len(gone.removed), days=args.older_than, left=len(gone.left)))
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    with service.Desk(args.data_dir) as desk:
        if args.yes:  # no questions: the person must be named, and named unambiguously
            if not args.person:
                raise UsageError(t("cli.delete.yes_needs_person"))
            person = _one_person(desk, args.person)
        else:
            chosen = _choose_person(desk, args.person)
            everywhere = t("app.delete.everywhere") if desk.clinic_connected else ""
            confirmed = chosen is not None and _ask(
                everywhere.strip()
                + ("\n" if everywhere else "")
                + t("cli.delete.confirm", name=chosen.name, id=chosen.id, count=chosen.assessments)
            ).strip() == str(chosen.id)
            if chosen is None or not confirmed:
                print(t("cli.delete.nothing"))
                return EXIT_OK
            person = chosen
        gone = desk.delete_person(person.id)
    print(t("cli.delete.done", name=person.name, id=person.id, count=gone.assessments))
    if gone.files_removed:
        print(t("cli.delete.files_removed", count=len(gone.files_removed)))
        for path in gone.files_removed:  # each one named: the user knows what went
            print(t("cli.delete.file_removed", path=path))
    for path in gone.files_left:
        print(t("cli.delete.file_left", path=path))
    return EXIT_OK
