"""Where safehome keeps its data: a private folder (0700) per user."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "SAFEHOME_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None, *, create: bool = True) -> Path:
    """The data folder: ``override``, else $SAFEHOME_DATA_DIR, else the platform's user data folder."""
    if override:
        path = Path(override)
    elif os.environ.get(ENV_DATA_DIR):
        path = Path(os.environ[ENV_DATA_DIR])
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("safehome", appauthor=False))
    path = path.expanduser()
    if create and not path.is_dir():
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except (NotADirectoryError, FileExistsError):  # a file where a folder on the way should be
            from safehome.i18n.words import t
            from safehome.storage.errors import StoreError

            raise StoreError(t("store.data_dir_is_file", path=path)) from None
        path.chmod(0o700)  # mkdir's mode is cut by the umask; make sure it is exactly 0700
    return path


REPORTS = "reports"


def reports_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Where safehome puts the PDFs and exports it names itself: ``reports/`` inside the data folder
    (0700), never whatever folder a command happened to start in. Made when first written to."""
    return data_dir(override) / REPORTS


LINK_KEY = "web-links.key"


def link_key(override: str | os.PathLike[str] | None = None) -> bytes:
    """This data folder's secret for the web face's per-person links (32 random bytes, 0600, made
    once): a person's link is derived from it, so it stays the same across restarts and nothing
    per person is written down (a deleted person's link opens nothing)."""
    path = data_dir(override) / LINK_KEY
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
        raise OSError(f"{path} is damaged (delete it: every person's web link changes)") from None
    key = os.urandom(32)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key
