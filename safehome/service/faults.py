"""The error log: where a fault happened, never what anybody typed; scrubbed of a deleted person."""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from safehome.storage.files import write_atomic
from safehome.storage.paths import data_dir

if TYPE_CHECKING:
    pass


ERROR_LOG = "safehome-errors.log"

LOG_SEPARATOR = "\n----\n"  # ends every entry of the error log


def scrub_log(names: set[str], data: str | Path | None = None) -> int:
    """Remove every error-log entry that holds one of these names; how many went."""
    log = data_dir(data) / ERROR_LOG
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    entries = text.split(LOG_SEPARATOR)
    keys = {n.casefold() for n in names if n.strip()}
    kept = [e for e in entries if not any(k in e.casefold() for k in keys)]
    if len(kept) == len(entries):
        return 0
    write_atomic(log, LOG_SEPARATOR.join(kept).encode("utf-8"), force=True)
    return len(entries) - len(kept)


def fault_text(exc: BaseException) -> str:
    """Where a fault happened (every frame, every chained exception's type) without any message:
    messages can hold what a user typed (a name in pydantic's input_value), and the log must not."""
    lines: list[str] = []
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"{type(current).__module__}.{type(current).__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
    return "\n".join(lines)


def log_fault(exc: BaseException, data: str | Path | None = None) -> str | None:
    """Write the details of an unexpected fault to the data folder's log (0600); return its path."""
    try:
        log = data_dir(data) / ERROR_LOG
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(fault_text(exc) + LOG_SEPARATOR)
        return str(log)
    except Exception:  # logging must never raise over the fault it reports
        return None
