"""The plain command line: everything the app does, without the app.

This module parses arguments and prints; the work is done by :mod:`safehome.service`.
Exit codes: 0 done, 2 bad input or arguments (one clear line per problem), 1 an
unexpected fault (details go to a log file in the data folder, never a traceback).
The clock is read here, at the edge, and passed into the core as "today".
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from safehome import service
from safehome.core.errors import InputError, UsageError
from safehome.i18n.visible import VisibleWriter
from safehome.i18n.words import LANGUAGES, set_language, t
from safehome.faces.cli.asker import TerminalAsker
from safehome.faces.cli.output import EXIT_FAULT, EXIT_INPUT, EXIT_OK, error_line, print_issues
from safehome.faces.cli.parser import build_parser, option_value


def _drop_stdout() -> None:
    """Point standard output at /dev/null, so what is still buffered cannot fail again at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; what it prints shows user text literally, its invisible controls by their
    codes (see safehome.i18n.visible), whatever the terminal's encoding."""
    if sys.stdout is None or sys.stderr is None:
        return _main(argv)
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VisibleWriter(out), VisibleWriter(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: Sequence[str] | None = None) -> int:
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
    service.set_asker(TerminalAsker())
    try:
        service.use_passphrase_file(args.passphrase_file)
    except UsageError as exc:
        print(error_line(exc), file=sys.stderr)
        return EXIT_INPUT
    if not getattr(args, "func", None):
        from safehome.faces.tui.app import run

        return run(data_dir=args.data_dir)

    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not after "exit 0"
        return code
    except InputError as exc:
        return print_issues(exc)
    except (service.StoreError, UsageError) as exc:
        print(error_line(exc), file=sys.stderr)
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
