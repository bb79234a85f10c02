"""The checklist commands (list, validate, export-fhir, schema), ``example`` and ``serve``."""

from __future__ import annotations

import argparse
import os
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safehome import service
from safehome.core.errors import InputError, UsageError
from safehome.i18n.words import current_language, t
from safehome.faces.cli.output import EXIT_INPUT, EXIT_OK, as_json, print_issues, today, wrote

if TYPE_CHECKING:
    pass


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
        print(as_json([dict(zip(keys, row, strict=True)) for row in rows]))
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
            print_issues(exc)
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
    return wrote(service.write_output(Path(args.output), data, force=args.force))


def cmd_checklist_schema(args: argparse.Namespace) -> int:
    from safehome.core.models import Checklist

    schema = Checklist.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = t("cli.schema.title")
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        return wrote(service.write_output(Path(args.output), text.encode("utf-8"), force=args.force))
    sys.stdout.write(text)
    return EXIT_OK


def cmd_example(args: argparse.Namespace) -> int:
    from safehome.core import catalog
    from safehome.core.example import example_assessment

    checklist = catalog.find(args.checklist)
    assessment = example_assessment(checklist, today())
    text = assessment.model_dump_json(indent=2, exclude_none=True) + "\n"
    wrote(service.write_output(Path(args.output), text.encode("utf-8"), force=args.force))
    print(t("cli.example.try", path=args.output))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """The self-check as web pages (safehome/faces/web/site.py), or with --terminal the app drawn in
    a browser (terminal.py): one address with a token, loopback by default."""
    from safehome.faces.web.guard import is_loopback

    if not is_loopback(args.host) and not args.allow_remote:
        raise UsageError(t("cli.serve.remote", host=args.host))
    if not 0 < args.port < 65536:
        raise UsageError(t("cli.serve.port", port=args.port))
    if args.terminal and args.person:
        raise UsageError(t("cli.serve.person_terminal"))
    if not is_loopback(args.host):
        print(t("cli.serve.proxy"), file=sys.stderr)
    with service.Desk(args.data_dir) as desk:  # a data folder that cannot be used says so here, once
        for person_id in args.person:
            try:
                desk.person(person_id)
            except service.StoreError as exc:
                raise UsageError(str(exc)) from None
    given = args.passphrase_file or os.environ.get("SAFEHOME_PASSPHRASE")
    if args.terminal and not given and service.store_uses_passphrase(args.data_dir):
        raise UsageError(t("cli.serve.terminal_passphrase"))  # each tab is a process with no terminal to ask in
    server: Any
    if args.terminal:
        from safehome.faces.web.terminal import SafehomeServer, app_command

        server = SafehomeServer(
            app_command(args.data_dir, current_language(), args.passphrase_file),
            host=args.host,
            port=args.port,
            max_sessions=args.max_sessions,
            idle_seconds=args.idle_minutes * 60,
            public_hosts=tuple(args.public_host),
        )
    else:
        from safehome.faces.web.site import Site

        server = Site(
            args.data_dir,
            host=args.host,
            port=args.port,
            language=current_language(),
            idle_seconds=args.idle_minutes * 60,
            public_hosts=tuple(args.public_host),
            people=tuple(args.person),
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
