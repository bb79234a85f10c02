"""The store encrypted at rest (privacy on the laptop, part 1): nothing readable in its files, a wrong
or missing passphrase and a foreign file each refused in a sentence of their own with nothing
written, the recovery key, a plaintext store converted in place (killed at any point, no answer lost),
and a rekey."""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from safehome.storage import encryption
from safehome.storage import keys as keyfile
from safehome.storage.driver import keyed, sqlite3
from safehome.storage.errors import StoreError
from safehome.storage.schema import SQLITE_HEADER
from safehome.storage.store import Store

from .conftest import make
from .sealed_pages import plaintext

SOAK = bool(os.environ.get("SAFEHOME_SOAK"))
NAME, NOTE, ANSWER = "Zébulon Quixote-Ngata", "lives at 42 Hidden Lane, key under the mat", "a hand-typed answer 7731"
PASSPHRASE = "tea kettle lighthouse sparrow"
RECOVERY = re.compile(r"\b([A-Z2-7]{4}(?:-[A-Z2-7]{4}){7})\b")


def _fill(home, db: Path, people: int = 1, notes: int = 1) -> dict[int, dict[str, str]]:
    """Visits with a name, a note and a typed answer; what each holds, to be found again."""
    kept = {}
    with Store(db) as store:
        for n in range(people):
            aid = store.create(
                make(home, {"hw_rugs": "yes"}, profile={"name": f"{NAME} {n}"}, notes={"hw_rugs": f"{NOTE} {n}"})
            )
            for k in range(notes):
                store.save_answer(aid, "cs_notes", f"{ANSWER} {n}.{k}")
            kept[aid] = {"name": f"{NAME} {n}", "answer": f"{ANSWER} {n}.{notes - 1}"}
    return kept


def _files(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def _cli(*argv: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safehome", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=stdin,
        timeout=60,
    )


def _no_keyring(monkeypatch) -> None:
    monkeypatch.delenv("SAFEHOME_TEST_KEYRING")


def _plain_copy(sealed: Path, key: bytes, target: Path) -> None:
    """The store as an earlier safehome left it: the same rows in a plaintext SQLite file."""
    conn = sqlite3.connect(sealed, isolation_level=None)
    keyed(conn, key)
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
    conn.execute("SELECT sqlcipher_export('plain')")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA plain.user_version = {version}")
    conn.execute("DETACH DATABASE plain")
    conn.close()


def _plain_store(home, tmp_path: Path, people: int, notes: int = 1) -> tuple[Path, dict[int, str]]:
    """A plaintext store as an earlier safehome left it, and the answer each of its visits holds."""
    source = tmp_path / "source" / "safehome.sqlite3"
    kept = _fill(home, source, people=people, notes=notes)
    with Store(source) as store:
        key = store.key
    folder = tmp_path / "old"
    folder.mkdir(mode=0o700)
    old = folder / "safehome.sqlite3"
    _plain_copy(source, key, old)
    old.chmod(0o600)
    keyfile.forget()
    return old, {aid: v["answer"] for aid, v in kept.items()}


def _stored_answers(db: Path) -> dict[int, str]:
    with Store(db) as store:
        return {s.id: str(store.load(s.id).assessment.answers["cs_notes"].value) for s in store.assessments()}


# ------------------------------------------------------------------ nothing readable on disk


def test_no_byte_of_a_name_note_or_answer_is_in_any_file_open_or_closed(home, tmp_path) -> None:
    folder = tmp_path / "data"
    db = folder / "safehome.sqlite3"
    with Store(db) as store:  # while it is open, the write-ahead log included
        aid = store.create(make(home, {"hw_rugs": "yes"}, profile={"name": NAME}, notes={"hw_rugs": NOTE}))
        store.save_answer(aid, "cs_notes", ANSWER)
        assert Path(f"{db}-wal").stat().st_size > 0
        raw = _files(folder)
        pages = plaintext(db, store.key)
    for secret in (NAME, NOTE, ANSWER, "Quixote", "Hidden Lane"):
        assert secret.encode() not in raw and secret.encode("utf-16-le") not in raw
    assert NAME.encode() in pages  # the same bytes, decrypted with the key: the check could fail
    raw = _files(folder)  # closed
    assert NAME.encode() not in raw and ANSWER.encode() not in raw
    assert db.read_bytes()[:16] != SQLITE_HEADER
    keys_text = (folder / "safehome.keys").read_text()
    assert "Quixote" not in keys_text and oct((folder / "safehome.keys").stat().st_mode & 0o777) == "0o600"


def test_the_key_in_the_keyring_opens_it_with_nothing_asked_and_no_stretching(home, tmp_path) -> None:
    db = tmp_path / "data" / "safehome.sqlite3"
    _fill(home, db)
    entry = keyfile.Keys.read(db.parent / "safehome.keys").entries[0]
    assert entry["keyring"] and entry["passphrase"] is None  # a keyring: no passphrase at all
    keyfile.forget()
    started = time.perf_counter()
    Store(db).close()
    assert time.perf_counter() - started < 2  # (scrypt alone takes about 0.5 s; the keyring path has none)
    assert _cli("--data-dir", str(db.parent), "list").returncode == 0  # another process: from the keyring


# ------------------------------------------------------------------ a passphrase, wrong, missing


def test_a_passphrase_store_opens_with_it_and_refuses_a_wrong_or_missing_one_writing_nothing(
    home, tmp_path, monkeypatch
) -> None:
    _no_keyring(monkeypatch)
    folder = tmp_path / "data"
    first = _cli("--data-dir", str(folder), "example", "-o", str(tmp_path / "e.json"))  # a command without the store
    assert first.returncode == 0 and not folder.exists()
    made = _cli("--data-dir", str(folder), "list", env={"SAFEHOME_PASSPHRASE": PASSPHRASE})
    assert made.returncode == 0, made.stderr
    recovery = RECOVERY.search(made.stderr)
    assert recovery and "Write it down" in made.stderr  # shown once, at set-up
    assert _cli("--data-dir", str(folder), "import", str(tmp_path / "e.json"), env={"SAFEHOME_PASSPHRASE": PASSPHRASE})
    before = _digest(folder)
    wrong = _cli("--data-dir", str(folder), "list", env={"SAFEHOME_PASSPHRASE": "not the passphrase at all"})
    assert wrong.returncode == 2 and "does not open this store" in wrong.stderr
    assert wrong.stderr.count("\n") == 1 and "Traceback" not in wrong.stderr
    missing = _cli("--data-dir", str(folder), "list")
    assert (
        missing.returncode == 2 and "encrypted and locked" in missing.stderr and "SAFEHOME_PASSPHRASE" in missing.stderr
    )
    assert _digest(folder) == before  # neither file written to
    again = _cli("--data-dir", str(folder), "list", env={"SAFEHOME_PASSPHRASE": PASSPHRASE})
    assert again.returncode == 0 and RECOVERY.search(again.stderr) is None  # never shown again
    secret = tmp_path / "secret.txt"
    written = recovery.group(1).lower().replace("-", " ").replace("o", "0").replace("i", "1")
    secret.write_text(written + "\n")  # however it was written down: lower case, spaces, O as 0, I as 1
    by_recovery = _cli("--data-dir", str(folder), "--passphrase-file", str(secret), "list")
    assert by_recovery.returncode == 0, by_recovery.stderr


def test_a_file_that_is_not_a_store_and_a_damaged_key_file_each_have_their_sentence(tmp_path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    (folder / "safehome.sqlite3").write_bytes(os.urandom(8192))
    before = _digest(folder)
    refused = _cli("--data-dir", str(folder), "list")
    assert refused.returncode == 2 and "is not a safehome store" in refused.stderr
    assert _digest(folder) == before and not (folder / "safehome.keys").exists()
    (folder / "safehome.keys").write_text("{not json")
    damaged = _cli("--data-dir", str(folder), "list")
    assert damaged.returncode == 2 and "key file is damaged" in damaged.stderr
    assert (folder / "safehome.keys").read_text() == "{not json"


def test_a_lost_keyring_is_said_and_the_recovery_key_still_opens_the_store(home, tmp_path, capsys) -> None:
    from safehome.faces.cli import main

    folder = tmp_path / "data"
    assert main(["--data-dir", str(folder), "list"]) == 0
    recovery = RECOVERY.search(capsys.readouterr().err)
    assert recovery
    for entry in Path(os.environ["SAFEHOME_TEST_KEYRING"]).iterdir():
        entry.unlink()  # a new laptop account, a wiped keyring
    keyfile.forget()
    lost = _cli("--data-dir", str(folder), "list")
    assert lost.returncode == 2 and "keyring no longer gives" in lost.stderr and "recovery key" in lost.stderr
    opened = _cli("--data-dir", str(folder), "list", env={"SAFEHOME_PASSPHRASE": recovery.group(1)})
    assert opened.returncode == 0, opened.stderr


def test_a_new_passphrase_must_be_long_enough_and_nothing_is_left_when_refused(tmp_path, monkeypatch) -> None:
    _no_keyring(monkeypatch)
    folder = tmp_path / "data"
    short = _cli("--data-dir", str(folder), "list", env={"SAFEHOME_PASSPHRASE": "short"})
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    nothing = _cli("--data-dir", str(folder), "list")  # no keyring, no passphrase, no terminal
    assert nothing.returncode == 2 and "no keyring" in nothing.stderr
    assert not (folder / "safehome.keys").exists()


# ------------------------------------------------------------------ converting a plaintext store


def test_a_plaintext_store_is_converted_in_place_with_every_answer(home, tmp_path) -> None:
    old, expected = _plain_store(home, tmp_path, people=3, notes=2)
    folder = old.parent
    assert old.read_bytes()[:16] == SQLITE_HEADER and NAME.encode() in old.read_bytes()
    assert _stored_answers(old) == expected
    assert old.read_bytes()[:16] != SQLITE_HEADER
    assert NAME.encode() not in _files(folder) and not list(folder.glob("*.encrypting*"))
    assert sorted(p.name for p in folder.iterdir()) == ["safehome.keys", "safehome.sqlite3"]


def test_a_foreign_sqlite_file_is_not_converted(tmp_path) -> None:
    import sqlite3 as plain

    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    db = folder / "safehome.sqlite3"
    with plain.connect(db) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    db.chmod(0o600)
    before = db.read_bytes()
    with pytest.raises(StoreError, match="not a safehome database"):
        Store(db)
    assert db.read_bytes() == before and not (folder / "safehome.keys").exists()


def test_a_conversion_that_fails_at_the_rename_leaves_the_plaintext_store_whole(home, tmp_path, monkeypatch) -> None:
    old, expected = _plain_store(home, tmp_path, people=2)
    folder = old.parent
    before = old.read_bytes()

    real_replace = os.replace

    def cut(source, target, *args, **kwargs):
        if str(source).endswith(".encrypting"):  # the sealed copy renamed over the plaintext store
            raise OSError(28, "No space left on device")
        return real_replace(source, target, *args, **kwargs)

    with monkeypatch.context() as patched, pytest.raises(OSError):
        patched.setattr(encryption.os, "replace", cut)
        Store(old)
    assert old.read_bytes() == before and not (folder / "safehome.keys").exists()
    assert _stored_answers(old) == expected


KILLS = 30 if SOAK else 6


def test_a_conversion_killed_at_random_points_never_loses_an_answer(home, tmp_path) -> None:
    """The conversion runs in its own process, killed after a random delay; whatever moment it
    stopped, the store is the plaintext one or the sealed one, whole, and the next start finishes."""
    template, expected = _plain_store(home, tmp_path, people=40, notes=5)
    code = "import sys; from safehome.storage.store import Store; Store(sys.argv[1]).close()"
    rng = random.Random(20261208)
    outcomes = {"plain": 0, "sealed": 0}
    whole = None
    for n in range(KILLS + 1):
        folder = tmp_path / f"old{n}"
        folder.mkdir(mode=0o700)
        old = folder / "safehome.sqlite3"
        shutil.copy2(template, old)
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", code, str(old)], env={**os.environ})
        if whole is None:  # the first runs to the end: how long a whole start with its conversion takes
            assert proc.wait() == 0
            whole = time.monotonic() - started
            continue
        time.sleep(rng.uniform(0.4, 1.0) * whole)  # from the imports to the last rename
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        outcomes[encryption.state(old)] += 1
        keyfile.forget()
        assert _stored_answers(old) == expected, n  # the next open converts (or opens) it whole
        assert encryption.state(old) == "sealed" and NAME.encode() not in _files(folder)
    print(f"conversion killed {KILLS} times: {outcomes}")
    assert sum(outcomes.values()) == KILLS


# ------------------------------------------------------------------ rekey


def test_rekey_with_a_passphrase_retires_the_old_passphrase_and_recovery_key(home, tmp_path, monkeypatch) -> None:
    _no_keyring(monkeypatch)
    folder = tmp_path / "data"
    env = {"SAFEHOME_PASSPHRASE": PASSPHRASE}
    made = _cli("--data-dir", str(folder), "list", env=env)
    old_recovery = RECOVERY.search(made.stderr).group(1)
    assert _cli("--data-dir", str(folder), "example", "-o", str(tmp_path / "e.json")).returncode == 0
    assert _cli("--data-dir", str(folder), "import", str(tmp_path / "e.json"), env=env).returncode == 0
    new = tmp_path / "new.txt"
    new.write_text("a brand new passphrase 2027\n")
    done = _cli("--data-dir", str(folder), "rekey", "--new-passphrase-file", str(new), env=env)
    assert done.returncode == 0, done.stderr
    assert "new key" in done.stdout
    new_recovery = RECOVERY.search(done.stderr).group(1)
    assert new_recovery != old_recovery
    for secret in (PASSPHRASE, old_recovery):
        assert _cli("--data-dir", str(folder), "list", env={"SAFEHOME_PASSPHRASE": secret}).returncode == 2
    for secret in ("a brand new passphrase 2027", new_recovery):
        listed = _cli("--data-dir", str(folder), "list", env={"SAFEHOME_PASSPHRASE": secret})
        assert (listed.returncode == 0 and "Example" in listed.stdout) or "1" in listed.stdout


def test_rekey_in_the_keyring_changes_the_key_itself_and_keeps_every_answer(home, tmp_path, capsys) -> None:
    from safehome.faces.cli import main

    db = tmp_path / "data" / "safehome.sqlite3"
    kept = _fill(home, db, people=2)
    with Store(db) as store:
        old_key = store.key
    assert main(["--data-dir", str(db.parent), "rekey"]) == 0
    assert RECOVERY.search(capsys.readouterr().err)
    keyfile.forget()
    with Store(db) as store:
        assert store.key != old_key
    assert _stored_answers(db) == {aid: v["answer"] for aid, v in kept.items()}
    assert len(list(Path(os.environ["SAFEHOME_TEST_KEYRING"]).iterdir())) == 1  # the old key left the keyring


@pytest.mark.parametrize("stop", ["before the re-encryption", "after it"])
def test_a_rekey_stopped_midway_opens_with_whichever_key_holds(home, tmp_path, monkeypatch, stop) -> None:
    db = tmp_path / "data" / "safehome.sqlite3"
    kept = _fill(home, db)
    writes = []
    real_write = keyfile.Keys.write

    def write(self):
        writes.append(len(self.entries))
        if stop == "after it" and len(writes) == 2:
            raise KeyboardInterrupt  # killed between the re-encryption and the last write
        real_write(self)

    def failing_keyed(conn, key):
        if len(writes) == 1 and stop == "before the re-encryption":
            raise KeyboardInterrupt
        keyed(conn, key)

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(keyfile.Keys, "write", write)
        patched.setattr(encryption, "keyed", failing_keyed)
        encryption.rekey(db, None)
    assert len(keyfile.Keys.read(db.parent / "safehome.keys").entries) == 2
    keyfile.forget()
    assert _stored_answers(db) == {aid: v["answer"] for aid, v in kept.items()}
    assert len(keyfile.Keys.read(db.parent / "safehome.keys").entries) == 1  # settled on the key that opens it


# ------------------------------------------------------------------ the app's lock


def _shown(app) -> str:
    return app.export_screenshot().replace("&#160;", " ")


async def _idle_until_locked(app, pilot) -> None:
    app._idle.last -= 3600  # an hour without a key
    app._lock_if_idle()
    await pilot.pause()


async def test_the_app_locks_when_idle_hides_everything_and_asks_the_passphrase_again(
    home, tmp_path, monkeypatch
) -> None:
    from safehome.faces.tui.screens.lock import LockScreen

    from .test_tui import Keys, make_app

    _no_keyring(monkeypatch)
    monkeypatch.setenv("SAFEHOME_PASSPHRASE", PASSPHRASE)
    _fill(home, tmp_path / "data" / "safehome.sqlite3")
    monkeypatch.delenv("SAFEHOME_PASSPHRASE")  # held by this process now, as after the app asked for it
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await pilot.pause()
        assert "Quixote" in app.export_screenshot()  # the start screen lists the person
        await keys("down")
        assert not isinstance(app.screen, LockScreen)  # a key just now: not idle
        app._lock_if_idle()
        assert not isinstance(app.screen, LockScreen)
        await _idle_until_locked(app, pilot)
        assert isinstance(app.screen, LockScreen)
        shown = _shown(app)
        assert "Quixote" not in shown and "locked" in shown  # nothing of the app shows through
        assert keyfile._SETTINGS.unlocked == {}  # the key is no longer held
        app.action_command_palette()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)  # no way around it
        await keys.type("not the passphrase")
        await keys("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen) and "does not open" in _shown(app)
        await keys.type(PASSPHRASE)
        await keys("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen) and "Quixote" in app.export_screenshot()
        assert keyfile._SETTINGS.unlocked  # held again: a sync started now opens the store


async def test_with_the_key_in_the_keyring_the_lock_asks_the_keyring_again(home, tmp_path) -> None:
    from safehome.faces.tui.screens.lock import LockScreen

    from .test_tui import Keys, make_app

    _fill(home, tmp_path / "data" / "safehome.sqlite3")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await _idle_until_locked(app, pilot)
        assert isinstance(app.screen, LockScreen) and "Quixote" not in app.export_screenshot()
        await keys("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)


def test_the_lock_minutes_come_from_the_environment(monkeypatch) -> None:
    from safehome.faces.tui.screens.lock import IdleClock, lock_minutes

    monkeypatch.setenv("SAFEHOME_LOCK_MINUTES", "2.5")
    assert lock_minutes() == 2.5
    monkeypatch.setenv("SAFEHOME_LOCK_MINUTES", "soon")
    assert lock_minutes() == 10
    never = IdleClock(0)
    never.last -= 10**6
    assert not never.due()


def test_a_key_file_from_another_store_or_edited_by_hand_is_said_and_nothing_written(home, tmp_path) -> None:
    one, other = tmp_path / "one" / "safehome.sqlite3", tmp_path / "other" / "safehome.sqlite3"
    _fill(home, one)
    Store(other).close()
    shutil.copy2(other.parent / "safehome.keys", one.parent / "safehome.keys")  # a backup restored wrongly
    keyfile.forget()
    before = _digest(one.parent)
    with pytest.raises(StoreError, match="belongs to another store, or the store is damaged"):
        Store(one)
    keys = one.parent / "safehome.keys"
    keys.write_text(keys.read_text().replace('"salt"', '"pepper"'))
    before = _digest(one.parent)
    refused = _cli("--data-dir", str(one.parent), "list", env={"SAFEHOME_PASSPHRASE": "-".join(["ABCD"] * 8)})
    assert refused.returncode == 2 and "key file is damaged" in refused.stderr and "Traceback" not in refused.stderr
    assert _digest(one.parent) == before


# ------------------------------------------------------------------ what an attack on the store found


def _passphrase_store(tmp_path: Path, monkeypatch) -> Path:
    _no_keyring(monkeypatch)
    folder = tmp_path / "data"
    made = _cli("--data-dir", str(folder), "list", env={"SAFEHOME_PASSPHRASE": PASSPHRASE})
    assert made.returncode == 0, made.stderr
    return folder


def test_a_new_passphrase_is_kept_in_the_form_it_is_read_back(tmp_path, monkeypatch) -> None:
    import unicodedata

    folder = _passphrase_store(tmp_path, monkeypatch)
    decomposed = unicodedata.normalize("NFD", "café crème brûlée")
    env = {"SAFEHOME_PASSPHRASE": PASSPHRASE, "SAFEHOME_NEW_PASSPHRASE": decomposed + "\n"}
    assert _cli("--data-dir", str(folder), "rekey", env=env).returncode == 0
    for form in ("NFC", "NFD"):
        typed = unicodedata.normalize(form, "café crème brûlée")
        assert _cli("--data-dir", str(folder), "list", env={"SAFEHOME_PASSPHRASE": typed}).returncode == 0, form
    spaces = _cli(
        "--data-dir", str(folder), "rekey", env={"SAFEHOME_PASSPHRASE": decomposed, "SAFEHOME_NEW_PASSPHRASE": " " * 12}
    )
    assert spaces.returncode == 2 and "at least 10 characters" in spaces.stderr
    none = _cli("--data-dir", str(folder), "rekey", env={"SAFEHOME_PASSPHRASE": decomposed})
    assert none.returncode == 2 and "SAFEHOME_NEW_PASSPHRASE" in none.stderr


def test_a_missing_or_emptied_store_never_loses_its_key_file(home, tmp_path) -> None:
    db = tmp_path / "data" / "safehome.sqlite3"
    _fill(home, db)
    keys = (db.parent / "safehome.keys").read_bytes()
    saved = db.read_bytes()
    for damage in ("emptied", "removed"):
        db.write_bytes(b"") if damage == "emptied" else db.unlink()
        refused = _cli("--data-dir", str(db.parent), "list")
        assert refused.returncode == 2 and "missing or empty, but its key file is here" in refused.stderr, damage
        assert (db.parent / "safehome.keys").read_bytes() == keys
    db.write_bytes(saved)  # the backup put back: it opens with the key file that was kept
    keyfile.forget()
    assert len(_stored_answers(db)) == 1


def test_edited_key_files_are_damage_never_a_hang_or_a_traceback(home, tmp_path) -> None:
    import json

    db = tmp_path / "data" / "safehome.sqlite3"
    _fill(home, db)
    path = db.parent / "safehome.keys"
    good = json.loads(path.read_text())
    costly = json.loads(path.read_text())
    costly["keys"][0]["recovery"]["kdf"] = "scrypt"
    costly["keys"][0]["recovery"].update(n=2**14, r=1, p=2**20)  # would run for hours
    for text in (json.dumps(costly), "[" * 100_000, json.dumps({**good, "keys": [{"id": "x"}]})):
        path.write_text(text)
        started = time.monotonic()
        refused = _cli("--data-dir", str(db.parent), "list", env={"SAFEHOME_PASSPHRASE": "-".join(["ABCD"] * 8)})
        assert refused.returncode == 2 and "key file is damaged" in refused.stderr, refused.stderr
        assert time.monotonic() - started < 20 and not (db.parent / "safehome-errors.log").exists()
    path.unlink()
    elsewhere = tmp_path / "elsewhere.keys"
    elsewhere.write_text(json.dumps(good))
    path.symlink_to(elsewhere)
    linked = _cli("--data-dir", str(db.parent), "list")
    assert linked.returncode == 2 and "symbolic link" in linked.stderr


def test_a_rekey_stopped_after_the_new_key_says_so_and_how_to_get_a_recovery_key(home, tmp_path, monkeypatch) -> None:
    folder = _passphrase_store(tmp_path, monkeypatch)
    db = folder / "safehome.sqlite3"
    monkeypatch.setenv("SAFEHOME_PASSPHRASE", PASSPHRASE)
    writes = []
    real_write = keyfile.Keys.write

    def write(self):
        writes.append(1)
        if len(writes) == 2:
            raise KeyboardInterrupt  # after the re-encryption, before the last write
        real_write(self)

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(keyfile.Keys, "write", write)
        encryption.rekey(db, "the new passphrase 2027")
    keyfile.forget()
    old = _cli("--data-dir", str(folder), "list", env={"SAFEHOME_PASSPHRASE": PASSPHRASE})
    assert old.returncode == 2 and "stopped before it finished" in old.stderr
    new = _cli("--data-dir", str(folder), "list", env={"SAFEHOME_PASSPHRASE": "the new passphrase 2027"})
    assert new.returncode == 0 and "run safehome rekey again" in new.stderr
