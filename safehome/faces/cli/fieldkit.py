"""``photo`` (add, list, remove: kept on this laptop only) and ``letter`` (a referral letter)."""

from __future__ import annotations

import argparse
from pathlib import Path

from safehome import service
from safehome.i18n.words import t
from safehome.faces.cli.output import EXIT_OK, listing, today, wrote


def cmd_photo_add(args: argparse.Namespace) -> int:
    with service.Desk(args.data_dir) as desk:
        photo_id = desk.add_photo(args.id, args.item, Path(args.file), args.caption)
        count = len(desk.photos(args.id))
    print(t("cli.photo.added", id=photo_id, item=args.item, visit=args.id, count=count))
    return EXIT_OK


def cmd_photo_list(args: argparse.Namespace) -> int:
    with service.Desk(args.data_dir) as desk:
        photos = desk.photos(args.id)
    shown = [
        {"id": p.id, "item": p.item_id, "caption": p.caption, "width": p.width, "height": p.height, "added": p.added_at}
        for p in photos
    ]
    header = tuple(t(f"cli.photo.column.{key}") for key in ("id", "item", "size", "caption"))
    rows = [(str(p.id), p.item_id, f"{p.width}\u00d7{p.height}", p.caption or "") for p in photos]
    empty = None if photos else t("cli.photo.none", visit=args.id)
    return listing(args.json, shown, empty, lambda: [header, *rows])


def cmd_photo_remove(args: argparse.Namespace) -> int:
    with service.Desk(args.data_dir) as desk:
        desk.remove_photo(args.id, args.photo)
    print(t("cli.photo.removed", id=args.photo, visit=args.id))
    return EXIT_OK


def cmd_letter(args: argparse.Namespace) -> int:
    kind = service.letter_kind(args.to)
    opened = service.open_assessment(args.answers, data=args.data_dir, today=today())
    options = service.ReportOptions(paper=args.paper, language=args.lang, force=args.force)
    with service.Desk(args.data_dir) as desk:
        if args.text and not args.output:  # the text to standard output, as other commands print theirs
            print(desk.letter(opened, kind, options), end="")
            return EXIT_OK
        path = desk.write_letter(
            opened, kind, options, text=args.text, output=Path(args.output) if args.output else None
        )
    return wrote(path)
