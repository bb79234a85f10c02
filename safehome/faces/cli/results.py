"""``score``, ``report`` (one, or every stored one) and ``compare``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from safehome import service
from safehome.core.errors import UsageError
from safehome.i18n.words import t
from safehome.faces.cli.output import EXIT_OK, as_json, comparison_lines, plain, score_summary, today, wrote

if TYPE_CHECKING:
    pass


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
        print(as_json(payload))
    else:
        print(score_summary(checklist, assessment, result, plan))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    if args.all:
        if args.pack:
            raise UsageError(t("cli.report.pack_all"))
        return _report_all(args)
    if not args.answers:
        raise UsageError(t("cli.report.needs_answers"))
    if args.pack and args.output:
        raise UsageError(t("cli.report.pack_output"))
    if args.output_dir and not args.pack:
        raise UsageError(t("cli.report.dir_needs_pack"))
    opened = service.open_assessment(args.answers, data=args.data_dir, today=today(), checklist_path=args.checklist)
    output = Path(args.output) if args.output else None
    folder = Path(args.output_dir) if args.output_dir else service.reports_folder(args.data_dir)
    if opened.stored_id is None:  # an answers file: its photos read beside it; nothing stored
        if args.pack:
            return _wrote_all(service.write_file_pack(opened, _report_options(args), folder))
        photos = service.file_photos(opened)
        options = _report_options(args)
        return wrote(
            service.write_report(
                opened.checklist, opened.assessment, options, output=output, folder=folder, photos=photos
            )
        )
    # a stored assessment: compared with the last one, and its files recorded (deleted with the person)
    with service.Desk(args.data_dir) as desk:
        if args.pack:
            return _wrote_all(desk.write_pack(opened, _report_options(args), folder=folder))
        path = desk.write_report(opened, _report_options(args), output=output)
    return wrote(path)


def _wrote_all(paths: list[Path]) -> int:
    for path in paths:
        wrote(path)
    return EXIT_OK


def _report_options(args: argparse.Namespace) -> service.ReportOptions:
    return service.ReportOptions(
        audience=args.audience,
        large_print=args.large_print,
        paper=args.paper,
        all_items=getattr(args, "all_items", False),
        language=args.lang,  # asked for on this command: else the assessment's own, else the run's
        force=args.force,
        with_photos=getattr(args, "with_photos", False),
    )


def _report_all(args: argparse.Namespace) -> int:
    if args.answers or args.output:
        raise UsageError(t("cli.report.all_conflict"))
    out_dir = Path(args.output_dir) if args.output_dir else service.reports_folder(args.data_dir)
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
        print(as_json(plain(c) | {"hazard_change": c.hazard_change}))
        return EXIT_OK
    print("\n".join(comparison_lines(old.checklist, new.assessment, c)))
    return EXIT_OK
