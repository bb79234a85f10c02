"""The clinic server: ``clinic init``, ``clinic connect`` and ``sync``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from safehome import service
from safehome.core.errors import UsageError
from safehome.i18n.words import t
from safehome.faces.cli.output import EXIT_OFFLINE, EXIT_OK, error_line

if TYPE_CHECKING:
    pass


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
            print(error_line(exc), file=sys.stderr)
            return EXIT_OFFLINE
        print("\n".join(desk.sync_lines(done)))
    return EXIT_OK
