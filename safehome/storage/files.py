"""Writing files safely: private permissions, all or nothing, never over an existing file by accident."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
import contextlib


class OutputExists(FileExistsError):
    pass


def write_atomic(path: Path, data: bytes, *, force: bool = False, mode: int = 0o600) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The file appears whole or not at all. Without ``force`` an existing file is never
    replaced (the final step is a hard link, which fails if the name is taken).
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    # the temporary name stays short whatever the final name is (a file name has at most 255 bytes)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".part", dir=parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp_name, path)
        else:
            try:
                os.link(tmp_name, path)
            except FileExistsError:
                raise OutputExists(str(path)) from None
            os.unlink(tmp_name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return path
