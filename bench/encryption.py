"""The encrypted store against the plaintext one (privacy on the laptop): the same Store code, with
the key step left out for the floor. Keys come from the tests' file keyring, standing in for the
system's (Secret Service, Keychain, Credential Manager), so neither side stretches a passphrase;
the passphrase's own cost (scrypt, once per process) is a figure of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from bench.common import DAY, PY, ROOT, fill_store, median_of, timed

PLAIN = "import sys; import bench.encryption as e; e.unsealed(); from safehome.faces.cli import main; sys.exit(main())"


def use_file_keyring(folder: Path) -> None:
    """Every store this run (and every process it starts) keeps its key in a file keyring in ``folder``."""
    tests = str(ROOT / "tests")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring_for_tests.FileKeyring"
    os.environ["SAFEHOME_TEST_KEYRING"] = str(folder)
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), tests, os.environ.get("PYTHONPATH")) if p)
    os.environ.pop("SAFEHOME_PASSPHRASE", None)
    import sys

    if tests not in sys.path:
        sys.path.append(tests)


def unsealed() -> None:
    """From now on, in this process, stores are opened without a key: plaintext SQLite, same code."""
    from safehome.storage import connection

    def no_key(path: Path, held: bool = False) -> bytes:
        with contextlib.suppress(FileExistsError):  # as the plaintext store made its file
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return b""

    module = vars(connection)  # the names connection.py imported, replaced in it alone
    module["open_key"] = no_key
    module["keyed"] = lambda conn, key: None


@contextlib.contextmanager
def _plaintext() -> Iterator[None]:
    from safehome.storage import connection

    module = vars(connection)
    saved = module["open_key"], module["keyed"]
    unsealed()
    try:
        yield
    finally:
        module["open_key"], module["keyed"] = saved


def bench_autosave_sealed(tmp: Path, n: int) -> tuple[float, float]:
    """Autosave p99: one answer saved, encrypted store vs plaintext store, alternated."""
    from safehome.core import catalog
    from safehome.core.example import example_assessment
    from safehome.storage.store import Store

    checklist = catalog.find("bone-metastases-home-visit")
    items = [item.id for _, item in checklist.items()]
    empty = example_assessment(checklist, DAY).model_copy(update={"answers": {}})
    sealed = Store(tmp / "sealed-save" / "safehome.sqlite3")
    with _plaintext():
        plain = Store(tmp / "plain-save" / "safehome.sqlite3")
    ours: list[float] = []
    floor: list[float] = []
    try:
        ids = {id(sealed): sealed.create(empty), id(plain): plain.create(empty)}
        for k in range(n):
            item = items[k % len(items)]
            for store, into in ((sealed, ours), (plain, floor)):
                start = time.perf_counter()
                store.save_answer(ids[id(store)], item, "yes" if k % 2 else "no", position=item)
                into.append(time.perf_counter() - start)
    finally:
        sealed.close()
        plain.close()
    return statistics.quantiles(ours, n=100)[98], statistics.quantiles(floor, n=100)[98]


def bench_cold_sealed(tmp: Path, count: int, runs: int) -> tuple[float, float]:
    """``safehome list`` as a cold process over ``count`` visits: encrypted vs plaintext, paired runs."""
    sealed, plain = tmp / f"sealed-{count}", tmp / f"plain-{count}"
    fill_store(sealed / "safehome.sqlite3", count)
    with _plaintext():
        fill_store(plain / "safehome.sqlite3", count)
    assert (plain / "safehome.sqlite3").read_bytes()[:6] == b"SQLite"
    ours_argv = [PY, "-m", "safehome", "--data-dir", str(sealed), "list"]
    floor_argv = [PY, "-c", PLAIN, "--data-dir", str(plain), "list"]
    timed(ours_argv), timed(floor_argv)  # the page cache warm for both
    pairs = [(timed(ours_argv), timed(floor_argv)) for _ in range(runs)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def bench_passphrase() -> tuple[float, float]:
    """What a passphrase costs once per process (scrypt N=2^17, r=8, p=1) against one SHA-256 of it."""
    from safehome.storage.keys import SCRYPT

    def stretch() -> float:
        start = time.perf_counter()
        hashlib.scrypt(b"a passphrase", salt=b"0" * 16, maxmem=256 * 2**20, dklen=64, **SCRYPT)
        return time.perf_counter() - start

    def plain() -> float:
        start = time.perf_counter()
        hashlib.sha256(b"a passphrase").digest()
        return time.perf_counter() - start

    return median_of(stretch, 3), median_of(plain, 3)
