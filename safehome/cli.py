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


def _load_scored(path: str, checklist_path: str | None):
    """Read an answers file, find its checklist, check the answers; raise InputError on any problem."""
    from . import catalog
    from .loader import InputError, Issue, load_assessment, load_checklist
    from .scoring import answer_problems

    assessment = load_assessment(path, today())
    checklist = load_checklist(checklist_path) if checklist_path else catalog.find(assessment.checklist_id)
    problems = answer_problems(checklist, assessment)
    if problems:
        top_level = ("checklist_id", "checklist_version", "mode")
        raise InputError([Issue(path, None, key if key in top_level else f"answers/{key}", msg) for key, msg in problems])
    return checklist, assessment


# --------------------------------------------------------------------------- commands


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
    if not path.parent.exists() and str(path.parent) not in ("", "."):
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


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def cmd_score(args: argparse.Namespace) -> int:
    from .scoring import build_plan, score

    checklist, assessment = _load_scored(args.answers, args.checklist)
    result = score(checklist, assessment)
    plan = build_plan(checklist, assessment, result)
    if args.json:
        payload = {
            "checklist": {"id": checklist.id, "version": checklist.version},
            "person": assessment.profile.name,
            "assessed_on": assessment.assessed_on,
            "score": asdict(result),
            "plan": asdict(plan),
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=_jsonable))
    else:
        print(score_summary(checklist, assessment, result, plan))
    return EXIT_OK


def default_report_path(assessment: Any, audience: str, large_print: bool) -> Path:
    """reports/<date>-<initials>-<audience>.pdf under the current folder; initials are letters only."""
    name = f"{assessment.assessed_on.isoformat()}-{assessment.profile.initials()}-{audience}"
    if large_print:
        name += "-large"
    return Path("reports") / f"{name}.pdf"


def make_report(checklist: Any, assessment: Any, *, output: Path | None, audience: str, large_print: bool, force: bool, comparison: Any = None) -> Path:
    from .pdf import render_plan
    from .scoring import build_plan, score

    result = score(checklist, assessment)
    plan = build_plan(checklist, assessment, result)
    path = output or default_report_path(assessment, audience, large_print)
    if output is None and not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    _check_output(path)
    if path.suffix.lower() != ".pdf":
        raise UsageError(f"{path}: the file name must end in .pdf")
    if path.exists() and not force:
        raise UsageError(f"{path}: already exists; choose another name with -o or add --force to replace it")
    data = render_plan(checklist, assessment, result, plan, audience=audience, large_print=large_print, comparison=comparison)
    _write_output(path, data, force)
    return path


def cmd_report(args: argparse.Namespace) -> int:
    checklist, assessment = _load_scored(args.answers, args.checklist)
    make_report(
        checklist,
        assessment,
        output=Path(args.output) if args.output else None,
        audience=args.audience,
        large_print=args.large_print,
        force=args.force,
    )
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safehome",
        description="Home fall-risk and mobility safety for people living with bone metastases. "
        "Run with no command to open the guided app.",
    )
    parser.add_argument("--version", action="version", version=f"safehome {__version__}")
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

    p = sub.add_parser("score", help="score a filled-in assessment (JSON)")
    p.add_argument("answers", metavar="ANSWERS.json")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.add_argument("--checklist", metavar="PATH", help="use this checklist file instead of the bundled one")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("report", help="write the personalised PDF action plan")
    p.add_argument("answers", metavar="ANSWERS.json")
    p.add_argument("-o", "--output", metavar="PATH", help="PDF to write (default: reports/DATE-INITIALS-AUDIENCE.pdf)")
    p.add_argument("--audience", choices=("home", "clinician"), default="home", help="home handout (default) or clinician summary")
    p.add_argument("--large-print", action="store_true", help="16 pt body text")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.add_argument("--checklist", metavar="PATH", help="use this checklist file instead of the bundled one")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("example", help="write a filled-in example assessment to try the other commands")
    p.add_argument("-o", "--output", default="example-assessment.json", help="file to write (default: %(default)s)")
    p.add_argument("--checklist", default="bone-metastases-home-visit", help="checklist id (default: %(default)s)")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=cmd_example)
    return parser


def _log_fault(exc: BaseException) -> str | None:
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
    from .loader import InputError

    try:
        return int(args.func(args))
    except InputError as exc:
        return _print_issues(exc)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: no traceback reaches the user
        where = _log_fault(exc)
        print(
            f"error: safehome hit an unexpected problem ({type(exc).__name__}). "
            + (f"Details were written to {where}." if where else ""),
            file=sys.stderr,
        )
        return EXIT_FAULT


def run_app(args: argparse.Namespace) -> int:
    try:
        from .tui.app import run
    except ImportError:
        build_parser().print_help()
        return EXIT_OK
    return run(args)
