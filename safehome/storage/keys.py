"""The store's key: where it is kept, how it is unlocked, and what it is wrapped in.

Every store is encrypted with a random 256-bit key, used raw (no stretching when it is opened). The
key itself is never written down in the clear. Beside the store, ``safehome.keys`` (0600, no name
or answer in it) holds:

- whether the operating system's keyring holds the key (then nothing is asked: the keyring is
  unlocked by the user's own login);
- the key wrapped by a passphrase, stretched with scrypt (N=2^17, r=8, p=1: OWASP's minimum for
  scrypt), once per process;
- the key wrapped by the recovery key shown once at set-up (160 random bits, so a fast derivation is
  enough): it opens the store when the keyring or the passphrase is lost.

A wrap is ``key XOR pad`` and an HMAC-SHA256 of the key, ``pad`` and the HMAC's key both derived
from the secret and a fresh salt: a wrong secret is known by the HMAC before the store is touched.

A rekey writes the new key's wraps beside the old ones first, then re-encrypts, then drops the old:
killed at any point, one of the two keys in the file opens the store.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from safehome.i18n.words import t
from safehome.storage.errors import StoreError

KEYS_SUFFIX = ".keys"  # safehome.sqlite3 -> safehome.keys: each store file has its own


def keys_path(store: Path) -> Path:
    """The key file of a store file: beside it, its name with .keys."""
    return store.with_suffix(KEYS_SUFFIX)


FORMAT = "safehome-keys 1"
ENV_PASSPHRASE = "SAFEHOME_PASSPHRASE"
KEYRING_SERVICE = "safehome"
MIN_PASSPHRASE = 10
SCRYPT = {"n": 2**17, "r": 8, "p": 1}
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_LOOKALIKES = str.maketrans("018", "OIB")


class Asker(Protocol):
    """What a face provides to ask the person at the keyboard (the CLI's terminal, the app)."""

    def passphrase(self, where: Path, *, new: bool) -> str | None:
        """The passphrase (asked twice when ``new``), or None when nobody can be asked."""

    def recovery_key(self, where: Path, key: str) -> None:
        """Show the recovery key, once, to be written down."""

    def notice(self, message: str) -> None:
        """Tell the person something they need to know about their store (one sentence)."""


@dataclass
class _Settings:
    asker: Asker | None = None
    secret: str | None = None  # from --passphrase-file
    unlocked: dict[str, bytes] = field(default_factory=dict)  # store id -> key, for this process


_SETTINGS = _Settings()


def set_asker(asker: Asker | None) -> None:
    _SETTINGS.asker = asker


def current_asker() -> Asker | None:
    return _SETTINGS.asker


def set_passphrase(secret: str | None) -> None:
    """A passphrase (or the recovery key) given for this process, as ``--passphrase-file`` does."""
    _SETTINGS.secret = _normal(secret) if secret is not None else None


def forget() -> None:
    """Drop every key this process holds (the app's lock): the next open asks again."""
    _SETTINGS.unlocked.clear()


def _normal(secret: str) -> str:
    return unicodedata.normalize("NFC", secret.rstrip("\r\n"))


def given() -> str | None:
    if _SETTINGS.secret is not None:
        return _SETTINGS.secret
    value = os.environ.get(ENV_PASSPHRASE)
    return _normal(value) if value else None


# -- wraps


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64")
    return base64.b64decode(text, validate=True)


def new_recovery_key() -> str:
    raw = secrets.token_bytes(20)
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _recovery_form(secret: str) -> str | None:
    """The recovery key's 32 letters and digits, however it was typed (spaces, dashes, lower case)."""
    # its alphabet has no 0, 1 or 8: one written down as a zero, a one or an eight is an O, I or B
    letters = "".join(ch for ch in secret.upper() if ch.isalnum()).translate(_LOOKALIKES)
    if len(letters) == 32 and all(ch in _B32 for ch in letters):
        return letters
    return None


def _material(kind: str, secret: str, salt: bytes, params: dict[str, int]) -> bytes:
    if kind == "scrypt":
        n, r, p = params["n"], params["r"], params["p"]
        data = secret.encode("utf-8", "surrogateescape")  # bytes an environment gave that are not UTF-8: as given
        return hashlib.scrypt(data, salt=salt, n=n, r=r, p=p, maxmem=256 * 2**20, dklen=64)
    return hmac.new(salt, secret.encode("ascii"), hashlib.sha512).digest()  # the recovery key: 160 random bits


def _wrap(key: bytes, kind: str, secret: str) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    params = dict(SCRYPT) if kind == "scrypt" else {}
    made = _material(kind, secret, salt, params)
    wrapped = bytes(a ^ b for a, b in zip(key, made[:32], strict=True))
    check = hmac.new(made[32:], key, hashlib.sha256).digest()
    return {"kdf": kind, **params, "salt": _b64(salt), "wrapped": _b64(wrapped), "check": _b64(check)}


def _unwrap(wrap: dict[str, Any], secret: str) -> bytes | None:
    kind = wrap["kdf"]
    params = {name: int(wrap[name]) for name in ("n", "r", "p")} if kind == "scrypt" else {}
    made = _material(kind, secret, _unb64(wrap["salt"]), params)
    key = bytes(a ^ b for a, b in zip(_unb64(wrap["wrapped"]), made[:32], strict=True))
    good = hmac.compare_digest(hmac.new(made[32:], key, hashlib.sha256).digest(), _unb64(wrap["check"]))
    return key if good else None


# -- the keyring (imported only when it is used: it looks through every installed package)


def _keyring_get(name: str) -> bytes | None:
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, name)
    except Exception:  # no keyring, a locked one, one that cannot be reached: as good as none
        return None
    try:
        key = bytes.fromhex(value) if value else None
    except ValueError:
        return None
    return key if key is not None and len(key) == 32 else None


def _keyring_set(name: str, key: bytes) -> bool:
    """Keep the key in the keyring; True only when it reads back the same."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, name, key.hex())
    except Exception:
        return False
    return _keyring_get(name) == key


def _keyring_drop(name: str) -> None:
    with contextlib.suppress(Exception):
        import keyring

        keyring.delete_password(KEYRING_SERVICE, name)


# -- the keys file

MAX_KEYS_FILE = 65536
SCRYPT_N = frozenset(2**k for k in range(15, 19))  # what this version or a later one may write, bounded


def _check_wrap(wrap: Any, kind: str) -> None:
    """A wrap as safehome writes it; anything else (an edit, a huge cost that would hang) is damage."""
    if not isinstance(wrap, dict) or wrap.get("kdf") != kind:
        raise ValueError("not a wrap")
    if kind == "scrypt" and (wrap.get("n") not in SCRYPT_N or wrap.get("r") != 8 or wrap.get("p") != 1):
        raise ValueError("not safehome's cost")
    sizes = {"salt": 16, "wrapped": 32, "check": 32}
    for name, size in sizes.items():
        if len(_unb64(wrap.get(name))) != size:
            raise ValueError("not a wrap")


def _check_entry(entry: Any) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise ValueError("not a keys file")
    _check_wrap(entry.get("recovery"), "recovery")
    if entry.get("passphrase") is not None:
        _check_wrap(entry["passphrase"], "scrypt")
    if not isinstance(entry.get("keyring"), bool) or not (entry["keyring"] or entry.get("passphrase")):
        raise ValueError("no way to open it")


@dataclass
class Keys:
    """``safehome.keys``: the store's id and its key(s), each as the keyring and the wraps hold it."""

    path: Path
    store: str
    entries: list[dict[str, Any]]
    pending: bool = False  # written before its store was sealed: a set-up that may not have finished

    @classmethod
    def read(cls, path: Path) -> Keys:
        if path.is_symlink():  # a link could point the key anywhere, and a rekey would replace the link
            raise StoreError(t("store.symlink", path=path))
        try:
            info = path.stat()
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                raise StoreError(t("store.not_owner", path=path))
            if info.st_mode & 0o777 != 0o600:
                path.chmod(0o600)
            with open(path, "rb") as handle:
                raw = handle.read(MAX_KEYS_FILE + 1)
            if len(raw) > MAX_KEYS_FILE:
                raise ValueError("too long")
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != FORMAT or not isinstance(data.get("keys"), list) or not data["keys"]:
                raise ValueError("not a keys file")
            for entry in data["keys"]:
                _check_entry(entry)
            return cls(path, str(data["store"]), data["keys"], pending=data.get("pending") is True)
        except (OSError, ValueError, KeyError, AttributeError, TypeError, RecursionError):
            raise StoreError(t("keys.damaged", path=path)) from None

    def write(self) -> None:
        """Replace the file atomically (a new file, flushed, renamed over, the folder flushed)."""
        body: dict[str, Any] = {"format": FORMAT, "store": self.store, "keys": self.entries}
        if self.pending:
            body["pending"] = True
        text = json.dumps(body, indent=1)
        temp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        sync_folder(self.path.parent)

    def keyring_name(self, entry: dict[str, Any]) -> str:
        return f"store {self.store} key {entry['id']}"

    def uses_passphrase(self) -> bool:
        return self.entries[0].get("passphrase") is not None

    def candidates(self) -> Iterator[bytes]:
        """Each key this process can reach without asking: held already, the keyring, a given secret.
        A given secret that opens none of the wraps is a wrong passphrase (StoreError)."""
        held = _SETTINGS.unlocked.get(self.store)
        if held is not None:
            yield held
        secret = given()
        if secret is not None:
            yield from self._by_secret(secret)
            return
        yield from self._from_keyring()

    def asked(self, asker: Asker | None, store: Path) -> Iterator[bytes]:
        """The passphrase asked for, up to three times while it is wrong."""
        if asker is None:
            return
        for attempt in range(3):
            secret = asker.passphrase(store, new=False)
            if secret is None:
                return
            try:
                yield from self._by_secret(_normal(secret))
                return
            except StoreError:
                if attempt == 2:
                    raise

    def _by_secret(self, secret: str) -> Iterator[bytes]:
        found = False
        recovery = _recovery_form(secret)
        for entry in self.entries:
            key = None
            try:
                if recovery is not None:
                    key = _unwrap(entry["recovery"], recovery)
                if key is None and entry.get("passphrase") is not None:
                    key = _unwrap(entry["passphrase"], secret)
            except (KeyError, ValueError, TypeError, AttributeError):  # a wrap someone edited
                raise StoreError(t("keys.damaged", path=self.path)) from None
            if key is not None:
                found = True
                yield key
        if not found:
            raise StoreError(t("keys.wrong_passphrase", path=self.path))

    def unlock(self, secret: str | None) -> bool:
        """Whether ``secret`` (or, when None, the keyring) gives this store's key; held again if so."""
        try:
            found = next(iter(self._by_secret(_normal(secret)) if secret else self._from_keyring()), None)
        except StoreError:
            return False
        if found is not None:
            self.remember(found)
        return found is not None

    def _from_keyring(self) -> Iterator[bytes]:
        for entry in self.entries:
            if entry.get("keyring"):
                key = _keyring_get(self.keyring_name(entry))
                if key is not None:
                    yield key

    def remember(self, key: bytes) -> None:
        """The key that opened the store, held for this process (the app's worker threads)."""
        _SETTINGS.unlocked[self.store] = key

    def entry_of(self, key: bytes) -> dict[str, Any] | None:
        return next((e for e in self.entries if e.get("fingerprint") == fingerprint(key)), None)


def fingerprint(key: bytes) -> str:
    """Which key an entry is, told without the key (an HMAC of a fixed text under it)."""
    return hmac.new(key, b"safehome key fingerprint", hashlib.sha256).hexdigest()[:16]


def sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system can flush a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Only one process sets up, converts or rekeys a store at a time (an advisory lock on the
    folder itself, so no lock file is left behind)."""
    try:
        import fcntl
    except ImportError:  # Windows: no second safehome runs at set-up there in practice
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@dataclass
class Protection:
    """How a new key is to be kept: in the keyring, or wrapped by this passphrase."""

    passphrase: str | None
    keyring: bool


def choose_protection(
    store: Path, keyring_name: str, key: bytes, given: str | None, *, keyring: bool = True, env: str = ENV_PASSPHRASE
) -> Protection:
    """A given passphrase wins; else the keyring when there is one (and ``keyring``); else ask for a
    new passphrase. ``env``: where a script gives it (named when there is no way)."""
    if given is not None:
        given = _normal(given)
        _check_new(given)
        return Protection(given, keyring=False)
    if keyring and _keyring_set(keyring_name, key):
        return Protection(None, keyring=True)
    asker = _SETTINGS.asker
    chosen = asker.passphrase(store, new=True) if asker is not None else None
    if chosen is None:
        raise StoreError(t("keys.no_way" if env == ENV_PASSPHRASE else "keys.no_new_way", env=env))
    chosen = _normal(chosen)
    _check_new(chosen)
    return Protection(chosen, keyring=False)


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase will not do, in a sentence; None when it will."""
    try:
        passphrase.encode("utf-8")
    except UnicodeError:
        return t("keys.passphrase_not_text")
    if len(_normal(passphrase).strip()) < MIN_PASSPHRASE:
        return t("keys.short_passphrase", count=MIN_PASSPHRASE)
    if _recovery_form(passphrase) is not None:  # it would be taken for a recovery key
        return t("keys.passphrase_like_recovery")
    return None


def _check_new(passphrase: str) -> None:
    problem = passphrase_problem(passphrase)
    if problem is not None:
        raise StoreError(problem)


def make_keys(store: Path) -> tuple[Keys, bytes, str]:
    """New keys for ``store``: the file (not yet written), the key, the recovery key."""
    keys = Keys(keys_path(store), str(uuid.uuid4()), [])
    key, entry, recovery = new_key(keys, store, given())
    keys.entries.append(entry)
    return keys, key, recovery


def new_key(
    keys: Keys, store: Path, given: str | None, *, keyring: bool = True, env: str = ENV_PASSPHRASE
) -> tuple[bytes, dict[str, Any], str]:
    """A new random key, its entry (kept in the keyring or wrapped by a passphrase, and by a new
    recovery key) and that recovery key."""
    key = secrets.token_bytes(32)
    recovery = new_recovery_key()
    entry: dict[str, Any] = {"id": secrets.token_hex(8), "fingerprint": fingerprint(key), "keyring": False}
    entry["passphrase"] = None
    entry["recovery"] = _wrap(key, "recovery", _recovery_form(recovery) or "")
    protection = choose_protection(store, keys.keyring_name(entry), key, given, keyring=keyring, env=env)
    if protection.passphrase is not None:
        entry["passphrase"] = _wrap(key, "scrypt", protection.passphrase)
    entry["keyring"] = protection.keyring
    return key, entry, recovery


def notice(message: str) -> None:
    if _SETTINGS.asker is not None:
        _SETTINGS.asker.notice(message)


def show_recovery(store: Path, recovery: str) -> None:
    if _SETTINGS.asker is not None:
        _SETTINGS.asker.recovery_key(store, recovery)


def drop_keyring(keys: Keys, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        if entry.get("keyring"):
            _keyring_drop(keys.keyring_name(entry))
