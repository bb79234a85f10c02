"""The plain command line: everything the app does, without the app.

This module parses arguments and prints; the work is done by :mod:`safehome.service`.
Exit codes: 0 done, 2 bad input or arguments (one clear line per problem), 1 an
unexpected fault (details go to a log file in the data folder, never a traceback).
The clock is read here, at the edge, and passed into the core as "today".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safehome import __version__, service
from safehome.core.errors import InputError, UsageError
from safehome.i18n.words import LANGUAGES, MESSAGES, current_language, set_language, t

if TYPE_CHECKING:
    from safehome.core.compare import Comparison
    from safehome.core.models import Assessment, Checklist
    from safehome.core.plan import Plan
    from safehome.core.score import Score
    from safehome.core.terms import Status
    from safehome.core.records import Person

EXIT_OK = 0
EXIT_FAULT = 1
EXIT_INPUT = 2
EXIT_OFFLINE = 75  # the clinic server could not be reached (EX_TEMPFAIL): nothing lost, try again


def today() -> date:
    return date.today()


def _plain(value: Any) -> Any:
    """Any result (dataclasses, dates, models, lists of them) as plain JSON data, by pydantic."""
    from pydantic import TypeAdapter

    return TypeAdapter(Any).dump_python(value, mode="json")


def _json(value: Any) -> str:
    return json.dumps(_plain(value), indent=2, ensure_ascii=False)


def _print_issues(exc: InputError) -> int:
    for issue in exc.issues:
        print(t("cli.error", message=issue), file=sys.stderr)
    return EXIT_INPUT


def _print_table(table: list[tuple[str, ...]]) -> int:
    """Columns padded to their widest cell; the last column is left as it is."""
    widths = [max(map(len, column)) for column in zip(*table, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths[:-1]) + "  {}"
    sys.stdout.write("\n".join(line.format(*row) for row in table) + "\n")
    return EXIT_OK


def _wrote(path: Path) -> int:
    print(t("cli.wrote", path=path))
    return EXIT_OK


# --------------------------------------------------------------------------- checklists


def cmd_checklist_list(args: argparse.Namespace) -> int:
    from safehome.core import catalog

    rows = []
    for _, checklist in catalog.bundled():
        count = sum(len(s.items) for s in checklist.sections)
        rows.append(
            (
                checklist.id,
                checklist.version,
                checklist.language,
                ",".join(t(f"mode.{mode}") for mode in checklist.modes),
                str(count),
                checklist.title,
            )
        )
    if args.json:
        keys = ("id", "version", "language", "modes", "items", "title")
        print(_json([dict(zip(keys, row, strict=True)) for row in rows]))
        return EXIT_OK
    header = tuple(t(f"cli.checklist.column.{key}") for key in ("id", "version", "language", "modes", "items", "title"))
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(5)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5])
    return EXIT_OK


def cmd_checklist_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.paths:
        try:
            checklist = service.validate_checklist(Path(path))
        except InputError as exc:
            _print_issues(exc)
            print(t("cli.validate.failed", path=path, count=len(exc.issues)), file=sys.stderr)
            status = EXIT_INPUT
            continue
        items = sum(len(s.items) for s in checklist.sections)
        flags = sum(1 for _, i in checklist.items() if i.red_flag)
        print(
            t(
                "cli.validate.ok",
                path=path,
                label=checklist.label,
                sections=len(checklist.sections),
                items=items,
                flags=flags,
            )
        )
    return status


def cmd_checklist_export_fhir(args: argparse.Namespace) -> int:
    data = service.questionnaire_json(args.checklist_id)
    if not args.output:
        sys.stdout.write(data.decode("utf-8"))
        return EXIT_OK
    return _wrote(service.write_output(Path(args.output), data, force=args.force))


def cmd_checklist_schema(args: argparse.Namespace) -> int:
    from safehome.core.models import Checklist

    schema = Checklist.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = t("cli.schema.title")
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        return _wrote(service.write_output(Path(args.output), text.encode("utf-8"), force=args.force))
    sys.stdout.write(text)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """The app in a web browser (see safehome/serve.py): one URL with a token, loopback by default."""
    from safehome.faces.web.serve import SafehomeServer, app_command, is_loopback

    if not is_loopback(args.host) and not args.allow_remote:
        raise UsageError(t("cli.serve.remote", host=args.host))
    if not 0 < args.port < 65536:
        raise UsageError(t("cli.serve.port", port=args.port))
    if not is_loopback(args.host):
        print(t("cli.serve.proxy"), file=sys.stderr)
    service.Desk(args.data_dir).close()  # a data folder that cannot be used says so here, once
    server = SafehomeServer(
        app_command(args.data_dir, current_language()),
        host=args.host,
        port=args.port,
        max_sessions=args.max_sessions,
        idle_seconds=args.idle_minutes * 60,
    )
    if args.open:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve()
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise UsageError(
            t("cli.serve.cannot_listen", host=args.host, port=args.port, reason=exc.strerror or exc)
        ) from None
    return EXIT_OK


def cmd_example(args: argparse.Namespace) -> int:
    from safehome.core import catalog
    from safehome.core.example import example_assessment

    checklist = catalog.find(args.checklist)
    assessment = example_assessment(checklist, today())
    text = assessment.model_dump_json(indent=2, exclude_none=True) + "\n"
    _wrote(service.write_output(Path(args.output), text.encode("utf-8"), force=args.force))
    print(t("cli.example.try", path=args.output))
    return EXIT_OK


# --------------------------------------------------------------------------- results


def score_summary(checklist: Checklist, assessment: Assessment, result: Score, plan: Plan, top: int = 10) -> str:
    """The readable summary printed by ``safehome score`` and ``safehome show``."""
    from safehome.core.outputs import outputs, recheck_text

    p = assessment.profile
    lines = [
        t("cli.score.title", name=p.name, checklist=checklist.title),
        t(
            "cli.score.assessed",
            day=assessment.assessed_on,
            label=checklist.label,
            mode=t(f"mode.{assessment.mode}"),
        ),
    ]
    note = service.version_note(checklist)
    if note:
        lines += ["", t("cli.score.note", text=note)]
    for output in outputs(checklist, result, assessment.mode):
        label = output.label.upper() if output.alarm else output.label
        lines += ["", t("cli.score.output", title=output.title, label=label)]
        lines.append(t("cli.score.because", reason=output.because))
        lines += [t("cli.score.detail", text=detail) for detail in output.details]
    lines.append("")
    lines.append(
        f"{t('cli.score.col.section'):<50} {t('cli.score.col.hazards'):>7} {t('cli.score.col.answered'):>8} "
        f"{t('cli.score.col.na'):>4} {t('cli.score.col.unanswered'):>10}"
    )
    for sec in result.sections:
        if sec.applicable:
            lines.append(
                f"{sec.title[:50]:<50} {sec.hazards:>7} {sec.answered:>8} {sec.not_applicable:>4} {sec.unanswered:>10}"
            )
    lines.append("")
    if plan.actions:
        lines.append(t("cli.score.top", shown=min(top, len(plan.actions)), total=len(plan.actions)))
        for n, a in enumerate(plan.actions[:top], 1):
            lines.append(
                t(
                    "cli.score.action",
                    n=n,
                    severity=t(f"severity.{a.severity}"),
                    section=a.section_title,
                    action=a.action,
                )
            )
    if plan.referrals:
        lines.append(t("cli.score.referrals", names="; ".join(r.name for r in plan.referrals)))
    lines.append(t("cli.score.unanswered", count=result.unanswered, total=result.applicable))
    lines.append(recheck_text(plan))
    lines.append("")
    lines.append(t("cli.score.note", text=result.disclaimer))
    return "\n".join(lines)


def cmd_score(args: argparse.Namespace) -> int:
    from safehome.core.plan import build_plan
    from safehome.core.score import score

    opened = service.open_assessment(args.answers, data=args.data_dir, today=today(), checklist_path=args.checklist)
    checklist, assessment = opened.checklist, opened.assessment
    result = score(checklist, assessment)
    plan = build_plan(checklist, assessment, result)
    if args.json:
        payload = {
            "checklist": {"id": checklist.id, "version": checklist.version},
            "person": assessment.profile.name,
            "assessed_on": assessment.assessed_on,
            "score": result,
            "plan": plan,
        }
        print(_json(payload))
    else:
        print(score_summary(checklist, assessment, result, plan))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    if args.all:
        return _report_all(args)
    if not args.answers:
        raise UsageError(t("cli.report.needs_answers"))
    opened = service.open_assessment(args.answers, data=args.data_dir, today=today(), checklist_path=args.checklist)
    output = Path(args.output) if args.output else None
    if opened.stored_id is None:
        path = service.write_report(opened.checklist, opened.assessment, _report_options(args), output=output)
    else:  # a stored assessment: compared with the last one, and the file recorded (deleted with the person)
        with service.Desk(args.data_dir) as desk:
            path = desk.write_report(opened, _report_options(args), output=output)
    return _wrote(path)


def _report_options(args: argparse.Namespace) -> service.ReportOptions:
    return service.ReportOptions(
        audience=args.audience,
        large_print=args.large_print,
        paper=args.paper,
        all_items=getattr(args, "all_items", False),
        language=args.lang,  # asked for on this command: else the assessment's own, else the run's
        force=args.force,
    )


def _report_all(args: argparse.Namespace) -> int:
    if args.answers or args.output:
        raise UsageError(t("cli.report.all_conflict"))
    out_dir = Path(args.output_dir or service.REPORTS_DIR)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(t("cli.report.out_dir_is_file", path=out_dir))
    jobs = args.jobs or os.cpu_count() or 1
    with service.Desk(args.data_dir) as desk:
        ids = [r.id for r in desk.assessments(status=args.status)]
        if not ids:
            print(t("cli.report.none_stored"))
            return EXIT_OK
        results = desk.write_all_reports(sorted(ids), out_dir, _report_options(args), jobs=jobs)
    counts = {kind: sum(1 for _, k, _ in results if k == kind) for kind in ("written", "exists", "skipped")}
    for aid, kind, detail in results:
        if kind != "written":
            key = "cli.report.batch_exists" if kind == "exists" else "cli.report.batch_skipped"
            print(t(key, id=aid, detail=detail), file=sys.stderr)
    print(
        t(
            "cli.report.batch_done",
            written=counts["written"],
            path=out_dir,
            exists=counts["exists"],
            skipped=counts["skipped"],
            jobs=jobs,
        )
    )
    return EXIT_OK


# --------------------------------------------------------------------------- the stored assessments


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
    if args.json:
        print(_json(rows))
        return EXIT_OK
    if not rows:
        print(t("cli.list.empty_person" if args.person else "cli.list.empty"))
        return EXIT_OK
    keys = ("id", "person_id", "person", "checklist", "mode", "status", "date", "answered", "updated")
    header = tuple(t(f"cli.list.column.{key}") for key in keys)
    table = [header] + [
        (
            str(r.id),
            str(r.person_id),
            r.person,
            r.checklist_id,
            t(f"mode.{r.mode}"),
            t(f"status.{r.status}"),
            r.assessed_on,
            str(r.answered),
            r.updated_at[:16].replace("T", " "),
        )
        for r in rows
    ]
    return _print_table(table)


def cmd_people(args: argparse.Namespace) -> int:
    with service.Desk(args.data_dir) as desk:
        people = desk.people(name=args.name)
    if args.json:
        print(_json(people))
        return EXIT_OK
    if not people:
        print(t("cli.people.empty"))
        return EXIT_OK
    header = tuple(t(f"cli.people.column.{key}") for key in ("id", "name", "assessments", "last"))
    table = [header] + [(str(p.id), p.name, str(p.assessments), p.last_assessed or "-") for p in people]
    return _print_table(table)


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
    return _wrote(path)


def _exported(desk: service.Desk, args: argparse.Namespace, assessment_id: int) -> bytes:
    """One assessment as safehome's JSON, or as a FHIR Bundle (without the name with --no-name)."""
    if args.no_name and args.format != "fhir":
        raise UsageError(t("cli.export.no_name_fhir"))
    return desk.exported(assessment_id, fhir=args.format == "fhir", named=not args.no_name, language=args.lang)


def _export_all(args: argparse.Namespace) -> int:
    """Every stored assessment (or those with --status), one file each, named by date, initials and id."""
    if args.id is not None or args.output:
        raise UsageError(t("cli.export.all_conflict"))
    out_dir = Path(args.output_dir or service.REPORTS_DIR)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(t("cli.report.out_dir_is_file", path=out_dir))
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = exists = 0
    with service.Desk(args.data_dir) as desk:
        for row in desk.assessments(status=args.status):
            stored = desk.stored(row.id)
            suffix = ".fhir.json" if args.format == "fhir" else ".json"
            name = f"{row.assessed_on}-{stored.assessment.profile.initials()}-{row.id}{suffix}"
            if args.no_name:  # a de-identified copy's name says nothing of the person
                name = f"assessment-{row.id}{suffix}"
            path = out_dir / name
            if path.exists() and not args.force:
                exists += 1
                continue
            desk.write_export(row.id, path, _exported(desk, args, row.id), force=args.force)
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
        aid = desk.add(opened.assessment, status=status, person_id=person_id, new_person=new_person)
    state = t("cli.import.in_progress", count=unanswered) if unanswered else t("cli.import.finished")
    print(t("cli.import.done", path=args.file, id=aid, state=state))
    return EXIT_OK


def comparison_lines(checklist: Checklist, new: Assessment, c: Comparison) -> list[str]:
    before, after, label = c.previous_date, c.current_date, checklist.label
    lines = [t("cli.compare.title", name=new.profile.name, before=before, after=after, label=label)]
    lines += c.summary_lines()
    for group, ids in c.groups():
        lines.append(t("cli.compare.group", label=group, count=len(ids)) + ("" if ids else t("cli.compare.none")))
        lines += [t("cli.compare.item", prompt=checklist.item(i).prompt_for(new.mode)) for i in ids]
    return lines


def cmd_compare(args: argparse.Namespace) -> int:
    old = service.open_assessment(args.old, data=args.data_dir, today=today())
    new = service.open_assessment(args.new, data=args.data_dir, today=today())
    from safehome.core.profile import person_key

    if person_key(old.assessment.profile.name) != person_key(new.assessment.profile.name):
        print(
            t("cli.compare.names_differ", old=repr(old.assessment.profile.name), new=repr(new.assessment.profile.name)),
            file=sys.stderr,
        )
    c = service.compare(old.checklist, old.assessment, new.assessment)
    if args.json:
        print(_json(_plain(c) | {"hazard_change": c.hazard_change}))
        return EXIT_OK
    print("\n".join(comparison_lines(old.checklist, new.assessment, c)))
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


def cmd_clinic_init(args: argparse.Namespace) -> int:
    done = service.init_clinic(args.url)
    print(t("clinic.init.done", server=done.server, version=done.after, before=done.before))
    if done.roles_made:
        print(t("clinic.init.roles_made", roles=", ".join(done.roles_made)))
    print(t("clinic.init.how_to_add", clinician=done.clinician_role, lead=done.lead_role))
    print(t("clinic.init.example", clinician=done.clinician_role, lead=done.lead_role))
    return EXIT_OK


def cmd_clinic_connect(args: argparse.Namespace) -> int:
    with service.Desk(args.data_dir) as desk:
        done = desk.connect_clinic(args.url)
    print("\n".join(service.connected_lines(done)))
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    with service.Desk(args.data_dir) as desk:
        if args.discard is not None:
            count = desk.discard_unsent(args.discard)
            if not count:
                raise UsageError(t("sync.nothing_to_discard", id=args.discard))
            print(t("sync.discarded", count=count, id=args.discard))
        if args.confirm is not None:
            count = desk.confirm_conflicts(args.confirm)
            if not count:
                raise UsageError(t("sync.nothing_to_confirm", id=args.confirm))
            print(t("sync.confirmed", count=count, id=args.confirm))
        try:
            done = desk.sync(full=args.full)
        except service.SyncFailed as exc:
            print(t("cli.error", message=exc), file=sys.stderr)
            return EXIT_OFFLINE
        print("\n".join(desk.sync_lines(done)))
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
    for path in gone.files_left:
        print(t("cli.delete.file_left", path=path))
    return EXIT_OK


# --------------------------------------------------------------------------- parser


MAX_ID_DIGITS = 18  # SQLite's integers end at 2**63


def _stored_id(text: str) -> int:
    """A stored id: ASCII digits only (int() would also take '١٢'), and within SQLite's integers."""
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_ID_DIGITS:
        raise argparse.ArgumentTypeError(t("cli.bad_id", value=text[:40]))
    return int(text)


def _at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(t("cli.jobs_positive", value=text[:40]))
    return number


def option_value(argv: Sequence[str], option: str) -> str | None:
    """The value given to ``option`` (``--lang fr-CA`` or ``--lang=fr-CA``), read before argparse runs."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == option and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(option + "="):
            return arg.partition("=")[2]
    return None


def _argparse_words(text: str) -> str:
    """argparse's own words ("usage:", "options", its errors) from the catalogue, in the language in use."""
    name = _ARGPARSE.get(text)
    return text if name is None else t(f"argparse.{name}")


_ARGPARSE = {MESSAGES[key]: key.removeprefix("argparse.") for key in MESSAGES if key.startswith("argparse.")}


def _minutes(text: str) -> float:
    try:
        minutes = float(text)
    except ValueError:
        minutes = 0.0
    if not 0.05 <= minutes <= 24 * 60:  # from 3 seconds (for tests) to a day
        raise argparse.ArgumentTypeError(t("cli.serve.minutes", value=text[:40]))
    return minutes


def build_parser() -> argparse.ArgumentParser:
    argparse._ = _argparse_words  # type: ignore[attr-defined]  # argparse looks its words up through this name
    parser = argparse.ArgumentParser(prog="safehome", description=t("cli.help.description"))
    parser.add_argument("--version", action="version", version=f"safehome {__version__}", help=t("cli.help.version"))
    parser.add_argument("--data-dir", metavar="DIR", help=t("cli.help.data_dir"))
    parser.add_argument("--lang", metavar="LANG", help=t("cli.help.lang"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    checklist = sub.add_parser("checklist", help=t("cli.help.checklist"))
    csub = checklist.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)
    p = csub.add_parser("list", help=t("cli.help.checklist_list"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=cmd_checklist_list)
    p = csub.add_parser("validate", help=t("cli.help.validate"))
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_checklist_validate)
    p = csub.add_parser("export-fhir", help=t("cli.help.export_fhir"))
    p.add_argument("checklist_id", metavar="ID")
    p.add_argument("-o", "--output", metavar="FILE", help=t("cli.help.output_file"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.set_defaults(func=cmd_checklist_export_fhir)

    p = csub.add_parser("schema", help=t("cli.help.schema"))
    p.add_argument("-o", "--output", help=t("cli.help.output_file"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.set_defaults(func=cmd_checklist_schema)

    p = sub.add_parser("score", help=t("cli.help.score"))
    p.add_argument("answers", metavar="ANSWERS.json|ID")
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.add_argument("--checklist", metavar="PATH", help=t("cli.help.checklist_path"))
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("report", help=t("cli.help.report"))
    p.add_argument("answers", metavar="ANSWERS.json|ID", nargs="?")
    p.add_argument("--all", action="store_true", help=t("cli.help.all"))
    p.add_argument("--output-dir", metavar="DIR", help=t("cli.help.output_dir"))
    p.add_argument("--status", choices=("in-progress", "finished"), help=t("cli.help.all_status"))
    p.add_argument("--jobs", type=_at_least_one, metavar="N", help=t("cli.help.jobs"))
    p.add_argument("-o", "--output", metavar="PATH", help=t("cli.help.report_output"))
    p.add_argument("--audience", choices=service.AUDIENCES, default="home", help=t("cli.help.audience"))
    p.add_argument("--large-print", action="store_true", help=t("cli.help.large_print"))
    p.add_argument("--all-items", action="store_true", help=t("cli.help.all_items"))
    p.add_argument("--paper", choices=service.PAPERS, default="letter", help=t("cli.help.paper"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.add_argument("--checklist", metavar="PATH", help=t("cli.help.checklist_path"))
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("list", help=t("cli.help.list"))
    p.add_argument("--person", metavar="ID|NAME", help=t("cli.help.person"))
    p.add_argument("--status", choices=("in-progress", "finished"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("people", help=t("cli.help.people"))
    p.add_argument("--name", metavar="NAME", help=t("cli.help.people_name"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=cmd_people)
    p = sub.add_parser("show", help=t("cli.help.show"))
    p.add_argument("id", type=_stored_id, metavar="ID")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("export", help=t("cli.help.export"))
    p.add_argument("id", type=_stored_id, metavar="ID", nargs="?")
    p.add_argument("--format", choices=("json", "fhir"), default="json", help=t("cli.help.export_format"))
    p.add_argument("--no-name", action="store_true", help=t("cli.help.no_name"))
    p.add_argument("--all", action="store_true", help=t("cli.help.export_all"))
    p.add_argument("--status", choices=("in-progress", "finished"), help=t("cli.help.all_status"))
    p.add_argument("--output-dir", metavar="DIR", help=t("cli.help.output_dir"))
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("import", help=t("cli.help.import"))
    p.add_argument("file", metavar="FILE")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--person", type=_stored_id, metavar="ID", help=t("cli.help.import_person"))
    who.add_argument("--new-person", action="store_true", help=t("cli.help.new_person"))
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("compare", help=t("cli.help.compare"))
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("delete", help=t("cli.help.delete"))
    p.add_argument("--person", metavar="ID|NAME", help=t("cli.help.delete_person"))
    p.add_argument("--yes", action="store_true", help=t("cli.help.yes"))
    p.set_defaults(func=cmd_delete)

    clinic = sub.add_parser("clinic", help=t("cli.help.clinic"))
    ksub = clinic.add_subparsers(dest="clinic_command", metavar="ACTION", required=True)
    p = ksub.add_parser("init", help=t("cli.help.clinic_init"))
    p.add_argument("url", metavar="URL", help=t("cli.help.clinic_url"))
    p.set_defaults(func=cmd_clinic_init)
    p = ksub.add_parser("connect", help=t("cli.help.clinic_connect"))
    p.add_argument("url", metavar="URL", help=t("cli.help.clinic_url"))
    p.set_defaults(func=cmd_clinic_connect)
    p = sub.add_parser("sync", help=t("cli.help.sync"))
    p.add_argument("--confirm", type=_stored_id, metavar="ID", help=t("cli.help.sync_confirm"))
    p.add_argument("--full", action="store_true", help=t("cli.help.sync_full"))
    p.add_argument("--discard", type=_stored_id, metavar="ID", help=t("cli.help.sync_discard"))
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("serve", help=t("cli.help.serve"))
    p.add_argument("--host", default="127.0.0.1", help=t("cli.help.serve_host"))
    p.add_argument("--port", type=int, default=8000, help=t("cli.help.serve_port"))
    p.add_argument("--allow-remote", action="store_true", help=t("cli.help.serve_remote"))
    p.add_argument("--open", action="store_true", help=t("cli.help.serve_open"))
    p.add_argument("--max-sessions", type=_at_least_one, default=4, metavar="N", help=t("cli.help.serve_sessions"))
    p.add_argument("--idle-minutes", type=_minutes, default=30.0, metavar="N", help=t("cli.help.serve_idle"))
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("example", help=t("cli.help.example"))
    p.add_argument("-o", "--output", default="example-assessment.json", help=t("cli.help.example_output"))
    p.add_argument("--checklist", default="bone-metastases-home-visit", help=t("cli.help.example_checklist"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.set_defaults(func=cmd_example)
    # --lang before or after the command (read before parsing; here so that --help lists it)
    for command in [*sub.choices.values(), *csub.choices.values(), *ksub.choices.values()]:
        command.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=t("cli.help.lang"))
    # no abbreviated options: --lang and --data-dir are read before argparse runs, by their full name
    for each in [parser, checklist, clinic, *sub.choices.values(), *csub.choices.values(), *ksub.choices.values()]:
        each.allow_abbrev = False
    return parser


def _drop_stdout() -> None:
    """Point standard output at /dev/null, so what is still buffered cannot fail again at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout is None:  # started with its output closed (>&-): say so, never exit 0 having printed nothing
        print(t("cli.stdout_closed"), file=sys.stderr)
        return EXIT_INPUT
    with contextlib.suppress(AttributeError, ValueError):  # an ASCII terminal: names shown with '?', not a crash
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
        sys.stderr.reconfigure(errors="replace")  # type: ignore[union-attr]
    argv = list(sys.argv[1:] if argv is None else argv)
    try:  # before the parser is built: its help is in the chosen language
        language = service.run_language(option_value(argv, "--lang"), os.environ, option_value(argv, "--data-dir"))
    except ValueError as exc:
        print(
            t("cli.error", message=t("cli.lang_unknown", value=str(exc)[:40], known=", ".join(LANGUAGES))),
            file=sys.stderr,
        )
        return EXIT_INPUT
    set_language(language)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    args.lang = language if getattr(args, "lang", None) else None  # asked for on the command line, as a tag
    if not getattr(args, "func", None):
        from safehome.faces.tui.app import run

        return run(data_dir=args.data_dir)

    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not after "exit 0"
        return code
    except InputError as exc:
        return _print_issues(exc)
    except (service.StoreError, UsageError) as exc:
        print(t("cli.error", message=exc), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(t("cli.interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        _drop_stdout()
        return EXIT_OK
    except OSError as exc:  # writing the output failed (/dev/full, a closed or read-only target)
        _drop_stdout()
        print(
            t("cli.error", message=t("cli.output_failed", reason=exc.strerror or type(exc).__name__)), file=sys.stderr
        )
        return EXIT_INPUT
    except Exception as exc:  # the last line of defence: no traceback reaches the user
        where = service.log_fault(exc, args.data_dir)
        print(
            t("cli.fault", kind=type(exc).__name__) + (t("cli.fault.where", path=where) if where else ""),
            file=sys.stderr,
        )
        return EXIT_FAULT
