"""Every sentence a person reads, in one catalogue, by message id, in every language safehome speaks.

The code refers to a message by its id (``t("hazards.low")``); the English text lives in
``safehome.i18n.catalogue`` and nowhere else, so a translation replaces the texts without touching the code, and the
same warning is worded the same way in the app, the CLI and both PDFs. Placeholders use
``str.format`` names (``{points}``); a translation keeps the names and may move them.

Other languages come from gettext catalogues (``locale/<lang>/LC_MESSAGES/safehome.po``, made with
``make messages``): the English text is the msgid and the id its context. Dates and numbers in a
message are written the language's way by Babel. Part of the domain core: no faces imported.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import IO, Literal, get_args

from safehome.i18n.catalogue import MESSAGES as MESSAGES


Language = Literal["en-CA", "fr-CA"]
"""The languages safehome speaks, as BCP 47 tags; the first is the one the texts above are in."""
LANGUAGES: tuple[str, ...] = get_args(Language)
ENGLISH = LANGUAGES[0]
DOMAIN = "safehome"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_chosen = ENGLISH  # the language of this run (the command line's, the app's)
_document: ContextVar[str | None] = ContextVar("safehome_document_language", default=None)
_catalogues: dict[str, gettext.NullTranslations] = {}


def language_of(text: str | None) -> str | None:
    """The language a tag or a locale name stands for (``fr``, ``fr_CA.UTF-8``, ``FR-ca``...), or None."""
    head = re.split(r"[-_.@]", (text or "").strip().lower(), maxsplit=1)[0]
    return next((tag for tag in LANGUAGES if tag.lower().startswith(head + "-")), None) if head else None


def choose_language(asked: str | None, environ: Mapping[str, str], remembered: str | None = None) -> str:
    """The language of a run: the one asked for, else SAFEHOME_LANG, else the one last chosen in the
    app (``remembered``), else the user's locale, else English.

    A language asked for (``--lang`` or SAFEHOME_LANG) that safehome does not speak is a ValueError
    naming it, for the caller to say in one sentence; a locale in another language means English.
    """
    for wanted in (asked, environ.get("SAFEHOME_LANG") or None):
        if wanted is not None:
            found = language_of(wanted)
            if found is None:
                raise ValueError(wanted)
            return found
    if remembered in LANGUAGES:
        return remembered
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):  # POSIX order: the first one set decides
        if environ.get(name):
            return language_of(environ[name]) or ENGLISH
    return ENGLISH


def set_language(tag: str) -> None:
    """Speak ``tag`` from now on (one of LANGUAGES)."""
    global _chosen
    if tag not in LANGUAGES:
        raise ValueError(tag)
    _chosen = tag


def current_language() -> str:
    """The language texts are made in here: a document's while one is being made, else the run's."""
    return _document.get() or _chosen


@contextmanager
def speaking(tag: str | None) -> Iterator[None]:
    """Make the texts inside in ``tag`` (a document's language), whatever the run speaks; None changes nothing."""
    if tag is not None and tag not in LANGUAGES:
        raise ValueError(tag)
    token = _document.set(tag or current_language())
    try:
        yield
    finally:
        _document.reset(token)


def catalogue(tag: str) -> gettext.NullTranslations:
    """The gettext catalogue of ``tag``, compiled with the package; read from its .po when that is newer."""
    if tag not in _catalogues:
        folder = LOCALE_DIR / tag.replace("-", "_") / "LC_MESSAGES"
        po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
        if tag == ENGLISH or (not po.exists() and not mo.exists()):
            _catalogues[tag] = gettext.NullTranslations()
        elif mo.exists() and (not po.exists() or mo.stat().st_mtime_ns >= po.stat().st_mtime_ns):
            with mo.open("rb") as handle:
                _catalogues[tag] = gettext.GNUTranslations(handle)
        else:  # a source checkout whose .po was edited since the last build: compile it in memory
            from io import BytesIO

            _catalogues[tag] = gettext.GNUTranslations(BytesIO(compile_po(po.read_bytes(), tag)))
    return _catalogues[tag]


def compile_po(source: bytes, tag: str) -> bytes:
    """A .po file's bytes compiled to .mo bytes, with Babel (what the package build runs, too)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale=tag.replace("-", "_"))
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


class _Day:
    """A date in a message, written the way its language writes dates: ``{day}`` 2026-11-27, ``{day:long}``."""

    def __init__(self, day: date, tag: str) -> None:
        self.day, self.tag = day, tag

    def __format__(self, spec: str) -> str:
        if self.tag == ENGLISH and spec in ("", "short", "long"):  # Babel's en_CA forms, without loading Babel
            if spec == "long":
                return f"{_MONTHS[self.day.month - 1]} {self.day.day}, {self.day.year}"
            return self.day.isoformat()
        from babel.dates import format_date

        return format_date(self.day, spec or "short", locale=self.tag.replace("-", "_"))


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class _Number:
    """A number in a message: Python's format spec (``{value:g}``), then the language's decimal mark."""

    def __init__(self, value: float, tag: str) -> None:
        self.value, self.tag = value, tag

    def __format__(self, spec: str) -> str:
        written = format(self.value, spec)
        if self.tag == ENGLISH or not re.fullmatch(r"-?\d+(\.\d+)?", written):
            return written
        from decimal import Decimal

        from babel.numbers import format_decimal

        return format_decimal(Decimal(written), locale=self.tag.replace("-", "_"), group_separator=False)

    def __str__(self) -> str:
        return format(self, "")


def number(value: float) -> str:
    """A number as the language in use writes it, shortest form (12.5 or 12,5; 13 not 13.0)."""
    return format(_Number(value, current_language()), "g")


def _localised(value: object, tag: str) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return _Day(value, tag)
    if tag != ENGLISH and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _Number(value, tag)  # English numbers are Python's own: no wrapper on the hot path
    return value


def t(msg_id: str, /, **values: object) -> str:
    """The text of ``msg_id`` in the language in use, with ``values`` filled in (dates and numbers its way)."""
    tag = current_language()
    english = MESSAGES[msg_id]
    template = english if tag == ENGLISH else catalogue(tag).pgettext(msg_id, english)
    if not values:
        return template
    return template.format(**{name: _localised(value, tag) for name, value in values.items()})


def extract_messages(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel's extractor for the catalogue (``safehome/i18n/catalogue.py``, ``make messages``):
    every message, with its id as the context.

    The English text is the msgid and the id the msgctxt, so a changed English sentence shows in
    the French catalogue as an untranslated one, and the same sentence under two ids stays two.
    """
    import ast  # only when Babel extracts the messages (make messages)

    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "MESSAGES":
            assert isinstance(node.value, ast.Dict)
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                assert isinstance(key, ast.Constant) and isinstance(value, ast.Constant)
                msg_id, english = str(key.value), str(value.value)
                if english:  # an empty text is empty in every language
                    yield key.lineno, "pgettext", (msg_id, english), [f"id: {msg_id}"]
