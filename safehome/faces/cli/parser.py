"""The command line's grammar: argparse, its words from the catalogue through its public methods."""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from safehome import __version__, service
from safehome.i18n.words import MESSAGES, t
from safehome.core.terms import STATUSES
from safehome.faces.cli import checklists, clinic, fieldkit, records, results
from safehome.faces.cli.output import error_line

_DEFAULTS = service.ReportOptions()

if TYPE_CHECKING:
    pass

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


def _days(text: str) -> int:
    """A whole number of days, 0 to 36,500 (ASCII digits only)."""
    if not (text.isascii() and text.isdigit()) or int(text) > 36_500:
        raise argparse.ArgumentTypeError(t("purge.days", value=text[:40]))
    return int(text)


def _minutes(text: str) -> float:
    try:
        minutes = float(text)
    except ValueError:
        minutes = 0.0
    if not 0.05 <= minutes <= 24 * 60:  # from 3 seconds (for tests) to a day
        raise argparse.ArgumentTypeError(t("cli.serve.minutes", value=text[:40]))
    return minutes


# argparse's own sentences ("usage: ", its errors), each as the catalogue has it in English
_ARGPARSE = {key: MESSAGES[key] for key in MESSAGES if key.startswith("argparse.")}
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?([sr])")


def argparse_words(text: str) -> str:
    """One of argparse's own messages in the language in use: matched against argparse's English
    template in the catalogue, and said again with the same values in the translation (a message
    argparse words otherwise stays as it is). Nothing of argparse's is replaced to do it."""
    for key, english in _ARGPARSE.items():
        pattern = _PLACEHOLDER.sub(lambda m: f"(?P<{m.group(1) or 'v'}>.+)", re.escape(english).replace("\\%", "%"))
        found = re.fullmatch(pattern.replace("%%", "%"), text, re.S)
        if found is None or not _PLACEHOLDER.search(english):
            continue
        values = found.groupdict()
        if key == "argparse.argument":  # "argument --x: <another of argparse's messages>"
            values["message"] = argparse_words(values["message"])
        translated = _PLACEHOLDER.sub(lambda m: f"%({m.group(1) or 'v'})s", t(key))
        return translated % values
    return text


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, t("argparse.usage") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse, with every word it shows from the catalogue: its help option, its two groups of
    arguments and its usage line made here, its errors said again by :func:`argparse_words`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        kwargs.setdefault("allow_abbrev", False)  # --lang and --data-dir are read before parsing, by their full name
        super().__init__(*args, **kwargs)
        self.inputs = self.add_argument_group(t("argparse.positionals"))
        self.options = self.add_argument_group(t("argparse.options"))
        self.options.add_argument("-h", "--help", action="help", help=t("argparse.help"))

    def add_argument(self, *names: Any, **kwargs: Any) -> argparse.Action:
        group = self.options if names and str(names[0]).startswith("-") else self.inputs
        return group.add_argument(*names, **kwargs)

    def add_mutually_exclusive_group(self, *, required: bool = False) -> argparse._MutuallyExclusiveGroup:
        return self.options.add_mutually_exclusive_group(required=required)

    def commands(self, dest: str, metavar: str, *, required: bool = False) -> Any:
        """The parser's sub-commands, listed under the positional arguments' heading."""
        return self.add_subparsers(dest=dest, metavar=metavar, required=required, title=t("argparse.positionals"))

    def error(self, message: str) -> NoReturn:
        """Bad arguments are one sentence on one line, "error: ..." as every other refusal, and exit 2
        (the usage is a --help away, and says so)."""
        words = argparse_words(message)
        self.exit(2, error_line(t("cli.argument_error", prog=self.prog, message=words)) + "\n")


def build_parser() -> Parser:
    parser = Parser(prog="safehome", description=t("cli.help.description"))
    parser.add_argument("--version", action="version", version=f"safehome {__version__}", help=t("cli.help.version"))
    parser.add_argument("--data-dir", metavar="DIR", help=t("cli.help.data_dir"))
    parser.add_argument("--lang", metavar="LANG", help=t("cli.help.lang"))
    parser.add_argument("--passphrase-file", metavar="FILE", help=t("cli.help.passphrase_file"))
    sub = parser.commands("command", "COMMAND")
    commands = [
        *_checklist_commands(sub),
        *_result_commands(sub),
        *_record_commands(sub),
        *_fieldkit_commands(sub),
        *_clinic_commands(sub),
        *_other_commands(sub),
    ]
    for command in commands:  # --lang before or after the command (read before parsing; here for --help)
        command.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=t("cli.help.lang"))
    return parser


def _checklist_commands(sub: Any) -> list[Parser]:
    checklist = sub.add_parser("checklist", help=t("cli.help.checklist"))
    csub = checklist.commands("checklist_command", "ACTION", required=True)
    p = csub.add_parser("list", help=t("cli.help.checklist_list"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=checklists.cmd_checklist_list)
    p = csub.add_parser("validate", help=t("cli.help.validate"))
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=checklists.cmd_checklist_validate)
    p = csub.add_parser("export-fhir", help=t("cli.help.export_fhir"))
    p.add_argument("checklist_id", metavar="ID")
    p.add_argument("-o", "--output", metavar="FILE", help=t("cli.help.output_file"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.set_defaults(func=checklists.cmd_checklist_export_fhir)
    p = csub.add_parser("schema", help=t("cli.help.schema"))
    p.add_argument("-o", "--output", help=t("cli.help.output_file"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.set_defaults(func=checklists.cmd_checklist_schema)
    return [checklist, *csub.choices.values()]


def _result_commands(sub: Any) -> list[Parser]:
    score = sub.add_parser("score", help=t("cli.help.score"))
    score.add_argument("answers", metavar="ANSWERS.json|ID")
    score.add_argument("--json", action="store_true", help=t("cli.help.json"))
    score.add_argument("--checklist", metavar="PATH", help=t("cli.help.checklist_path"))
    score.set_defaults(func=results.cmd_score)
    p = sub.add_parser("report", help=t("cli.help.report"))
    p.add_argument("answers", metavar="ANSWERS.json|ID", nargs="?")
    p.add_argument("--all", action="store_true", help=t("cli.help.all"))
    p.add_argument("--output-dir", metavar="DIR", help=t("cli.help.output_dir"))
    p.add_argument("--status", choices=STATUSES, help=t("cli.help.all_status"))
    p.add_argument("--jobs", type=_at_least_one, metavar="N", help=t("cli.help.jobs"))
    p.add_argument("-o", "--output", metavar="PATH", help=t("cli.help.report_output"))
    p.add_argument("--audience", choices=service.AUDIENCES, default=_DEFAULTS.audience, help=t("cli.help.audience"))
    p.add_argument("--large-print", action="store_true", help=t("cli.help.large_print"))
    p.add_argument("--all-items", action="store_true", help=t("cli.help.all_items"))
    p.add_argument("--paper", choices=service.PAPERS, default=_DEFAULTS.paper, help=t("cli.help.paper"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.add_argument("--checklist", metavar="PATH", help=t("cli.help.checklist_path"))
    p.add_argument("--with-photos", action="store_true", help=t("cli.help.with_photos"))
    p.add_argument("--pack", action="store_true", help=t("cli.help.pack"))
    p.set_defaults(func=results.cmd_report)
    compare = sub.add_parser("compare", help=t("cli.help.compare"))
    compare.add_argument("old", metavar="OLD")
    compare.add_argument("new", metavar="NEW")
    compare.add_argument("--json", action="store_true", help=t("cli.help.json"))
    compare.set_defaults(func=results.cmd_compare)
    return [score, p, compare]


def _record_commands(sub: Any) -> list[Parser]:
    made = []
    p = sub.add_parser("list", help=t("cli.help.list"))
    p.add_argument("--person", metavar="ID|NAME", help=t("cli.help.person"))
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=records.cmd_list)
    made.append(p)
    p = sub.add_parser("people", help=t("cli.help.people"))
    p.add_argument("--name", metavar="NAME", help=t("cli.help.people_name"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=records.cmd_people)
    made.append(p)
    p = sub.add_parser("show", help=t("cli.help.show"))
    p.add_argument("id", type=_stored_id, metavar="ID")
    p.set_defaults(func=records.cmd_show)
    made.append(p)
    p = sub.add_parser("equipment", help=t("cli.help.equipment"))
    p.add_argument("id", type=_stored_id, metavar="ID")
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=records.cmd_equipment)
    made.append(p)
    p = sub.add_parser("export", help=t("cli.help.export"))
    p.add_argument("id", type=_stored_id, metavar="ID", nargs="?")
    p.add_argument("--format", choices=("json", "fhir"), default="json", help=t("cli.help.export_format"))
    p.add_argument("--no-name", action="store_true", help=t("cli.help.no_name"))
    p.add_argument("--all", action="store_true", help=t("cli.help.export_all"))
    p.add_argument("--status", choices=STATUSES, help=t("cli.help.all_status"))
    p.add_argument("--output-dir", metavar="DIR", help=t("cli.help.output_dir"))
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.set_defaults(func=records.cmd_export)
    made.append(p)
    p = sub.add_parser("import", help=t("cli.help.import"))
    p.add_argument("file", metavar="FILE")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--person", type=_stored_id, metavar="ID", help=t("cli.help.import_person"))
    who.add_argument("--new-person", action="store_true", help=t("cli.help.new_person"))
    p.set_defaults(func=records.cmd_import)
    made.append(p)
    p = sub.add_parser("audit", help=t("cli.help.audit"))
    p.add_argument("--person", type=_stored_id, metavar="ID", help=t("cli.help.audit_person"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=records.cmd_audit)
    made.append(p)
    p = sub.add_parser("rekey", help=t("cli.help.rekey"), description=t("cli.help.rekey_description"))
    p.add_argument("--new-passphrase-file", metavar="FILE", help=t("cli.help.new_passphrase_file"))
    p.set_defaults(func=records.cmd_rekey)

    p = sub.add_parser("purge", help=t("cli.help.purge"))
    p.add_argument("--older-than", type=_days, required=True, metavar="DAYS", help=t("cli.help.purge_days"))
    p.set_defaults(func=records.cmd_purge)
    made.append(p)
    p = sub.add_parser("delete", help=t("cli.help.delete"))
    p.add_argument("--person", metavar="ID|NAME", help=t("cli.help.delete_person"))
    p.add_argument("--yes", action="store_true", help=t("cli.help.yes"))
    p.set_defaults(func=records.cmd_delete)
    made.append(p)
    return made


def _fieldkit_commands(sub: Any) -> list[Parser]:
    group = sub.add_parser("photo", help=t("cli.help.photo"))
    psub = group.commands("photo_command", "ACTION", required=True)
    p = psub.add_parser("add", help=t("cli.help.photo_add"))
    p.add_argument("id", type=_stored_id, metavar="ID")
    p.add_argument("item", metavar="ITEM", help=t("cli.help.photo_item"))
    p.add_argument("file", metavar="FILE", help=t("cli.help.photo_file"))
    p.add_argument("--caption", metavar="TEXT", help=t("cli.help.photo_caption"))
    p.set_defaults(func=fieldkit.cmd_photo_add)
    p = psub.add_parser("list", help=t("cli.help.photo_list"))
    p.add_argument("id", type=_stored_id, metavar="ID")
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=fieldkit.cmd_photo_list)
    p = psub.add_parser("remove", help=t("cli.help.photo_remove"))
    p.add_argument("id", type=_stored_id, metavar="ID")
    p.add_argument("photo", type=_stored_id, metavar="PHOTO")
    p.set_defaults(func=fieldkit.cmd_photo_remove)
    letter = sub.add_parser("letter", help=t("cli.help.letter"))
    letter.add_argument("answers", metavar="ANSWERS.json|ID")
    letter.add_argument("--to", required=True, metavar="KIND", help=t("cli.help.letter_to"))
    letter.add_argument("-o", "--output", metavar="PATH", help=t("cli.help.letter_output"))
    letter.add_argument("--text", action="store_true", help=t("cli.help.letter_text"))
    letter.add_argument("--paper", choices=service.PAPERS, default=_DEFAULTS.paper, help=t("cli.help.paper"))
    letter.add_argument("--force", action="store_true", help=t("cli.help.force"))
    letter.set_defaults(func=fieldkit.cmd_letter)
    return [group, *psub.choices.values(), letter]


def _clinic_commands(sub: Any) -> list[Parser]:
    group = sub.add_parser("clinic", help=t("cli.help.clinic"))
    ksub = group.commands("clinic_command", "ACTION", required=True)
    p = ksub.add_parser("init", help=t("cli.help.clinic_init"))
    p.add_argument("url", metavar="URL", help=t("cli.help.clinic_url"))
    p.set_defaults(func=clinic.cmd_clinic_init)
    p = ksub.add_parser("connect", help=t("cli.help.clinic_connect"))
    p.add_argument("url", metavar="URL", help=t("cli.help.clinic_url"))
    p.set_defaults(func=clinic.cmd_clinic_connect)
    p = sub.add_parser("sync", help=t("cli.help.sync"))
    p.add_argument("--confirm", type=_stored_id, metavar="ID", help=t("cli.help.sync_confirm"))
    p.add_argument("--full", action="store_true", help=t("cli.help.sync_full"))
    p.add_argument("--discard", type=_stored_id, metavar="ID", help=t("cli.help.sync_discard"))
    p.set_defaults(func=clinic.cmd_sync)
    return [group, *ksub.choices.values(), p]


def _other_commands(sub: Any) -> list[Parser]:
    p = sub.add_parser("serve", help=t("cli.help.serve"))
    p.add_argument("--host", default="127.0.0.1", help=t("cli.help.serve_host"))
    p.add_argument("--port", type=int, default=8000, help=t("cli.help.serve_port"))
    p.add_argument("--allow-remote", action="store_true", help=t("cli.help.serve_remote"))
    p.add_argument("--public-host", action="append", default=[], metavar="NAME", help=t("cli.help.serve_public_host"))
    p.add_argument("--open", action="store_true", help=t("cli.help.serve_open"))
    p.add_argument("--person", type=int, action="append", default=[], metavar="ID", help=t("cli.help.serve_person"))
    p.add_argument("--terminal", action="store_true", help=t("cli.help.serve_terminal"))
    p.add_argument("--max-sessions", type=_at_least_one, default=4, metavar="N", help=t("cli.help.serve_sessions"))
    p.add_argument("--idle-minutes", type=_minutes, default=30.0, metavar="N", help=t("cli.help.serve_idle"))
    p.set_defaults(func=checklists.cmd_serve)
    example = sub.add_parser("example", help=t("cli.help.example"))
    example.add_argument("-o", "--output", default="example-assessment.json", help=t("cli.help.example_output"))
    example.add_argument("--checklist", default="bone-metastases-home-visit", help=t("cli.help.example_checklist"))
    example.add_argument("--force", action="store_true", help=t("cli.help.force"))
    example.set_defaults(func=checklists.cmd_example)
    return [p, example]
