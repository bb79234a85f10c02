"""The plain command line: everything the app does, without the app.

Exit codes: 0 done, 2 bad input or arguments (one clear line per problem), 1 an
unexpected fault (details go to a log file in the data folder, never a traceback).
The clock is read here, at the edge, and passed into the core as "today".
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from . import __version__

EXIT_OK = 0
EXIT_FAULT = 1
EXIT_INPUT = 2


class UsageError(Exception):
    """A problem with what the user asked for, shown as one line and exit code 2."""


def today() -> date:
    return date.today()


# --------------------------------------------------------------------------- helpers


def _print_issues(exc: Any) -> int:
    for issue in exc.issues:
        print(f"error: {issue}", file=sys.stderr)
    return EXIT_INPUT


def _open_store(args: argparse.Namespace):
    from .store import open_store

    return open_store(getattr(args, "data_dir", None))


def _resolve(ref: str, args: argparse.Namespace, checklist_path: str | None = None):
    """An answers file, or the id of a stored assessment: (checklist, assessment, stored id or None)."""
    if ref.isdigit() and not Path(ref).exists():
        with _open_store(args) as store:
            stored = store.load(int(ref))
        return _checked(stored.assessment, f"assessment {ref}", checklist_path), stored.assessment, int(ref)
    checklist, assessment = _load_scored(ref, checklist_path)
    return checklist, assessment, None


def _load_scored(path: str, checklist_path: str | None):
    """Read an answers file, find its checklist, check the answers; raise InputError on any problem."""
    from .loader import load_assessment

    assessment = load_assessment(path, today())
    return _checked(assessment, path, checklist_path), assessment


def _checked(assessment: Any, source: str, checklist_path: str | None):
    """The assessment's checklist, once its answers are known to fit it (InputError naming ``source`` if not)."""
    from . import catalog
    from .loader import InputError, Issue, load_checklist
    from .scoring import answer_problems

    if checklist_path:
        checklist = load_checklist(checklist_path)
    else:
        try:
            checklist = catalog.find(assessment.checklist_id)
        except InputError as exc:
            raise InputError([Issue(source, None, "checklist_id", i.message) for i in exc.issues]) from None
    problems = answer_problems(checklist, assessment)
    if problems:
        top_level = ("checklist_id", "checklist_version", "mode")
        raise InputError([Issue(source, None, key if key in top_level else f"answers/{key}", msg) for key, msg in problems])
    return checklist


def cmd_checklist_list(args: argparse.Namespace) -> int:
    from . import catalog

    rows = []
    for path, checklist in catalog.bundled():
        count = sum(len(s.items) for s in checklist.sections)
        rows.append((checklist.id, checklist.version, checklist.language, ",".join(checklist.modes), str(count), checklist.title))
    if args.json:
        print(json.dumps([dict(zip(("id", "version", "language", "modes", "items", "title"), r)) for r in rows], indent=2, ensure_ascii=False))
        return EXIT_OK
    header = ("ID", "VERSION", "LANGUAGE", "MODES", "ITEMS", "TITLE")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(5)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5])
    return EXIT_OK


def cmd_checklist_validate(args: argparse.Namespace) -> int:
    from .loader import InputError, load_checklist

    status = EXIT_OK
    for path in args.paths:
        try:
            checklist = load_checklist(path)
        except InputError as exc:
            _print_issues(exc)
            print(f"{path}: {len(exc.issues)} problem(s) found; nothing was loaded", file=sys.stderr)
            status = EXIT_INPUT
            continue
        items = sum(len(s.items) for s in checklist.sections)
        flags = sum(1 for _, i in checklist.items() if i.red_flag)
        print(f"ok: {path}: {checklist.label}, {len(checklist.sections)} sections, {items} items, {flags} red flags")
    return status


def cmd_checklist_schema(args: argparse.Namespace) -> int:
    from .models import Checklist

    schema = Checklist.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "safehome checklist"
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        return _write_output(Path(args.output), text.encode("utf-8"), args.force)
    sys.stdout.write(text)
    return EXIT_OK


def _check_output(path: Path) -> None:
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name")
    if not path.parent.is_dir() and str(path.parent) not in ("", "."):
        raise UsageError(f"{path.parent}: no such folder")


def _write_output(path: Path, data: bytes, force: bool) -> int:
    from .files import OutputExists, write_atomic

    _check_output(path)
    try:
        write_atomic(path, data, force=force)
    except OutputExists:
        raise UsageError(f"{path}: already exists; choose another name or add --force to replace it") from None
    except PermissionError:
        raise UsageError(f"{path}: cannot write here (permission denied)") from None
    print(f"wrote {path}")
    return EXIT_OK


def cmd_example(args: argparse.Namespace) -> int:
    from . import catalog
    from .example import example_assessment

    checklist = catalog.find(args.checklist)
    assessment = example_assessment(checklist, today())
    text = assessment.model_dump_json(indent=2, exclude_none=True) + "\n"
    status = _write_output(Path(args.output), text.encode("utf-8"), args.force)
    print(f"try: safehome score {args.output}")
    return status


def _band_word(band: str) -> str:
    return band.upper()


def score_summary(checklist: Any, assessment: Any, result: Any, plan: Any, top: int = 10) -> str:
    """The readable summary printed by ``safehome score``."""
    p = assessment.profile
    lines = [
        f"{p.name} - {checklist.title}",
        f"Assessed on {assessment.assessed_on.isoformat()} ({checklist.label}, {assessment.mode} mode)",
        "",
        f"Overall band: {_band_word(result.band)}",
    ]
    lines += [f"  because: {reason}" for reason in result.band_reasons]
    lines.append("")
    if plan.red_flags:
        lines.append("WARNING SIGNS REPORTED - contact the healthcare team now:")
        lines += [f"  ! {a.prompt}\n      -> {a.action}" for a in plan.red_flags]
    else:
        lines.append("Warning signs: none reported")
    if result.steadi is not None and assessment.mode == "clinician":
        s = result.steadi
        state = "complete" if s.complete else f"only {s.answered} of {s.questions} answered"
        lines.append(f"STEADI Stay Independent: {s.score} of 14, {s.band} (cut-off 4; {state})")
    elif result.steadi is not None:
        lines.append("Falls questions: " + ("your answers suggest you may be at risk of falling; talk to your healthcare team"
                                           if result.steadi.at_risk else "no sign of a high risk of falling from these questions"))
    for m in result.measures:
        lines.append(f"  {checklist.item(m.item_id).prompt}: {m.judgement}")
    lines.append("")
    lines.append(f"{'Section':<50} {'hazards':>7} {'answered':>8} {'n/a':>4} {'unanswered':>10}")
    for s in result.sections:
        if s.applicable:
            lines.append(f"{s.title[:50]:<50} {s.hazards:>7} {s.answered:>8} {s.not_applicable:>4} {s.unanswered:>10}")
    lines.append("")
    if plan.actions:
        lines.append(f"Top actions ({min(top, len(plan.actions))} of {len(plan.actions)}):")
        for n, a in enumerate(plan.actions[:top], 1):
            lines.append(f"  {n:>2}. [{a.severity}] {a.section_title}: {a.action}")
    else:
        lines.append("No hazards found.")
    if plan.referrals:
        lines.append("Referrals: " + "; ".join(r.name for r in plan.referrals))
    lines.append(f"Unanswered: {result.unanswered} of {result.applicable} questions")
    lines.append(f"Check again by: {plan.recheck_on.isoformat()} ({plan.recheck_days} days)")
    lines.append("")
    lines.append(f"Note: {result.disclaimer}")
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    """Dataclasses and named tuples as plain dicts, for JSON output."""
    from dataclasses import fields, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def cmd_score(args: argparse.Namespace) -> int:
    from .scoring import build_plan, score

    checklist, assessment, _ = _resolve(args.answers, args, args.checklist)
    result = score(checklist, assessment)
    plan = build_plan(checklist, assessment, result)
    if args.json:
        payload = {
            "checklist": {"id": checklist.id, "version": checklist.version},
            "person": assessment.profile.name,
            "assessed_on": assessment.assessed_on,
            "score": _plain(result),
            "plan": _plain(plan),
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=_jsonable))
    else:
        print(score_summary(checklist, assessment, result, plan))
    return EXIT_OK


def make_report(checklist: Any, assessment: Any, *, output: Path | None, audience: str, large_print: bool, force: bool, comparison: Any = None) -> Path:
    from . import reports

    path = output or reports.default_path(assessment, audience, large_print)
    if output is None and not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    _check_output(path)
    if path.suffix.lower() != ".pdf":
        raise UsageError(f"{path}: the file name must end in .pdf")
    if path.exists() and not force:
        raise UsageError(f"{path}: already exists; choose another name with -o or add --force to replace it")
    data = reports.render(checklist, assessment, audience=audience, large_print=large_print, comparison=comparison)
    _write_output(path, data, force)
    return path


def cmd_report(args: argparse.Namespace) -> int:
    if args.all:
        return _report_all(args)
    if not args.answers:
        raise UsageError("give an answers file or a stored id, or --all for every stored assessment")
    checklist, assessment, stored_id = _resolve(args.answers, args, args.checklist)
    comparison = None
    if stored_id is not None and args.audience == "clinician":
        from .compare import compare

        with _open_store(args) as store:
            earlier = store.previous(stored_id)
        if earlier is not None and earlier.assessment.checklist_version == checklist.version:
            comparison = compare(checklist, earlier.assessment, assessment)
    make_report(
        checklist,
        assessment,
        output=Path(args.output) if args.output else None,
        audience=args.audience,
        large_print=args.large_print,
        force=args.force,
        comparison=comparison,
    )
    return EXIT_OK


def _report_all(args: argparse.Namespace) -> int:
    import os

    from . import reports

    if args.answers or args.output:
        raise UsageError("--all writes one PDF per stored assessment into --output-dir; leave out the file and -o")
    out_dir = Path(args.output_dir or "reports")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: is a file, not a folder")
    with _open_store(args) as store:
        ids = [r.id for r in store.list(status=args.status)]
        db_path = store.path
    if not ids:
        print("no stored assessments to report on")
        return EXIT_OK
    jobs = args.jobs or os.cpu_count() or 1
    results = reports.make_batch(db_path, sorted(ids), out_dir, audience=args.audience, large_print=args.large_print, force=args.force, jobs=jobs)
    counts = {kind: sum(1 for _, k, _ in results if k == kind) for kind in ("written", "exists", "skipped")}
    for aid, kind, detail in results:
        if kind != "written":
            print(f"assessment {aid}: {'already exists, kept' if kind == 'exists' else 'skipped'}: {detail}", file=sys.stderr)
    print(f"wrote {counts['written']} PDF(s) to {out_dir} ({counts['exists']} already there, {counts['skipped']} skipped; {jobs} process(es))")
    return EXIT_OK


# --------------------------------------------------------------------------- the store


def cmd_list(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        rows = store.list(person=args.person, status=args.status)
    if args.json:
        from dataclasses import asdict as _asdict

        print(json.dumps([_asdict(r) for r in rows], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print("no assessments stored yet" + (" for that person" if args.person else ""))
        return EXIT_OK
    header = ("ID", "PERSON", "CHECKLIST", "MODE", "STATUS", "DATE", "ANSWERED", "UPDATED")
    table = [header] + [
        (str(r.id), r.person, r.checklist_id, r.mode, r.status, r.assessed_on, str(r.answered), r.updated_at[:16].replace("T", " "))
        for r in rows
    ]
    widths = [max(map(len, column)) for column in zip(*table)]
    line = "  ".join(f"{{:<{w}}}" for w in widths[:-1]) + "  {}"
    sys.stdout.write("\n".join(line.format(*row) for row in table) + "\n")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from .scoring import build_plan, score

    with _open_store(args) as store:
        stored = store.load(args.id)
        changes = len(store.history(args.id))
    assessment = stored.assessment
    checklist = _checked(assessment, f"assessment {args.id}", None)
    result = score(checklist, assessment)
    print(f"Assessment {stored.id}: {stored.status}, created {stored.created_at[:16]}, updated {stored.updated_at[:16]}, {changes} recorded change(s)")
    if stored.status == "in-progress" and stored.position:
        print(f"Stopped at: {stored.position}")
    print(score_summary(checklist, assessment, result, build_plan(checklist, assessment, result)))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        stored = store.load(args.id)
    text = stored.assessment.model_dump_json(indent=2, exclude_none=True) + "\n"
    if args.output:
        return _write_output(Path(args.output), text.encode("utf-8"), args.force)
    sys.stdout.write(text)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .scoring import score

    checklist, assessment = _load_scored(args.file, None)
    unanswered = score(checklist, assessment).unanswered
    with _open_store(args) as store:
        aid = store.create(assessment, status="in-progress" if unanswered else "finished")
    state = f"in progress, {unanswered} unanswered" if unanswered else "finished"
    print(f"imported {args.file} as assessment {aid} ({state})")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare

    checklist, old, _ = _resolve(args.old, args)
    _, new, _ = _resolve(args.new, args)
    if old.checklist_id != new.checklist_id:
        raise UsageError(f"cannot compare '{old.checklist_id}' with '{new.checklist_id}': they use different checklists")
    if old.profile.name != new.profile.name:
        print(f"note: the names differ ({old.profile.name!r} and {new.profile.name!r})", file=sys.stderr)
    c = compare(checklist, old, new)
    if args.json:
        print(json.dumps(asdict(c) | {"band_change": c.band_change}, indent=2, default=_jsonable))
        return EXIT_OK
    prompt = lambda i: checklist.item(i).prompt_for(new.mode)  # noqa: E731
    lines = [
        f"{new.profile.name}: {c.previous_date.isoformat()} -> {c.current_date.isoformat()} ({checklist.label})",
        f"Band: {c.previous_band} -> {c.current_band} ({c.band_change}); points {c.points_before} -> {c.points_after}"
        + (f"; STEADI {c.steadi_before} -> {c.steadi_after} of 14" if c.steadi_before is not None else ""),
    ]
    for title, ids in (("New warning signs", c.new_red_flags), ("Hazards resolved", c.resolved), ("New hazards", c.new), ("Unchanged hazards", c.unchanged), ("Not rechecked", c.not_rechecked)):
        lines.append(f"{title} ({len(ids)}):" + ("" if ids else " none"))
        lines += [f"  - {prompt(i)}" for i in ids]
    print("\n".join(lines))
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        found = store.list(person=args.person)
        if not found:
            raise UsageError(f"there is nobody called {args.person!r} in the store (see: safehome list)")
        if not args.yes:
            if not sys.stdin or not sys.stdin.isatty():
                raise UsageError("deleting needs confirmation: run it in a terminal, or add --yes")
            reply = input(f"Delete {args.person!r} and {len(found)} assessment(s) for good? Type the name to confirm: ")
            if reply.strip().lower() != args.person.strip().lower():
                print("nothing deleted")
                return EXIT_OK
        count = store.delete_person(args.person)
    print(f"deleted {args.person!r}: {count} assessment(s) and their history")
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safehome",
        description="Home fall-risk and mobility safety for people living with bone metastases. "
        "Run with no command to open the guided app.",
    )
    parser.add_argument("--version", action="version", version=f"safehome {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="where assessments are kept (default: $SAFEHOME_DATA_DIR or the user data folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    checklist = sub.add_parser("checklist", help="list, check and describe checklists")
    csub = checklist.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)
    p = csub.add_parser("list", help="list the checklists that ship with safehome")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_checklist_list)
    p = csub.add_parser("validate", help="check checklist files; every problem with its line")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_checklist_validate)
    p = csub.add_parser("schema", help="print the JSON Schema of the checklist format")
    p.add_argument("-o", "--output", help="write to this file instead")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=cmd_checklist_schema)

    p = sub.add_parser("score", help="score a filled-in assessment (JSON file or stored id)")
    p.add_argument("answers", metavar="ANSWERS.json|ID")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.add_argument("--checklist", metavar="PATH", help="use this checklist file instead of the bundled one")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("report", help="write the personalised PDF action plan")
    p.add_argument("answers", metavar="ANSWERS.json|ID", nargs="?")
    p.add_argument("--all", action="store_true", help="one PDF for every stored assessment, using every core")
    p.add_argument("--output-dir", metavar="DIR", help="with --all: the folder (default: reports)")
    p.add_argument("--status", choices=("in-progress", "finished"), help="with --all: only these")
    p.add_argument("--jobs", type=int, metavar="N", help="with --all: processes (default: every core)")
    p.add_argument("-o", "--output", metavar="PATH", help="PDF to write (default: reports/DATE-INITIALS-AUDIENCE.pdf)")
    p.add_argument("--audience", choices=("home", "clinician"), default="home", help="home handout (default) or clinician summary")
    p.add_argument("--large-print", action="store_true", help="16 pt body text")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.add_argument("--checklist", metavar="PATH", help="use this checklist file instead of the bundled one")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("list", help="list stored assessments, most recent first")
    p.add_argument("--person", metavar="NAME")
    p.add_argument("--status", choices=("in-progress", "finished"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("show", help="show a stored assessment and its score")
    p.add_argument("id", type=int, metavar="ID")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("export", help="write a stored assessment as JSON (the format score reads)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--format", choices=("json",), default="json")
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("import", help="check an answers file and add it to the store")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("compare", help="what changed between two assessments (files or stored ids)")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("delete", help="remove a person and all their assessments for good")
    p.add_argument("--person", required=True, metavar="NAME")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_delete)

    p = sub.add_parser("example", help="write a filled-in example assessment to try the other commands")
    p.add_argument("-o", "--output", default="example-assessment.json", help="file to write (default: %(default)s)")
    p.add_argument("--checklist", default="bone-metastases-home-visit", help="checklist id (default: %(default)s)")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=cmd_example)
    return parser


def log_fault(exc: BaseException) -> str | None:
    """Write the details of an unexpected fault to the data folder's log; return its path."""
    import traceback

    try:
        from .paths import data_dir

        log = data_dir() / "safehome-errors.log"
        import os

        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(exc)) + "\n")
        return str(log)
    except Exception:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        return run_app(args)
    from .errors import InputError
    from .store import StoreError

    try:
        return int(args.func(args))
    except InputError as exc:
        return _print_issues(exc)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: no traceback reaches the user
        where = log_fault(exc)
        print(
            f"error: safehome hit an unexpected problem ({type(exc).__name__}). "
            + (f"Details were written to {where}." if where else ""),
            file=sys.stderr,
        )
        return EXIT_FAULT


def run_app(args: argparse.Namespace) -> int:
    from .tui.app import run

    return run(args)
