"""The pages of an encrypted store as SQLCipher 4 writes them, decrypted with the store's key, every
page and every write-ahead-log frame, live or freed: what is still in the file under the encryption.
(SQLCipher 4's defaults: 4,096-byte pages ending in 80 reserved bytes, a 16-byte IV then the HMAC;
the first page starts with the 16-byte salt; a raw key is the AES-256-CBC key itself.)"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
SALT = 16
WAL_HEADER = 32
FRAME_HEADER = 24


def _page(raw: bytes, key: bytes, first: bool) -> bytes:
    start = SALT if first else 0
    body, iv = raw[start : PAGE - RESERVE], raw[PAGE - RESERVE : PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def plaintext(db: Path, key: bytes) -> bytes:
    """Every page of the database file and of its WAL, decrypted, one after another."""
    out = []
    data = db.read_bytes()
    for number, offset in enumerate(range(0, len(data) - PAGE + 1, PAGE)):
        out.append(_page(data[offset : offset + PAGE], key, first=number == 0))
    wal = Path(f"{db}-wal")
    if wal.exists():
        log = wal.read_bytes()
        for offset in range(WAL_HEADER, len(log) - FRAME_HEADER - PAGE + 1, FRAME_HEADER + PAGE):
            page_number = int.from_bytes(log[offset : offset + 4], "big")
            frame = log[offset + FRAME_HEADER : offset + FRAME_HEADER + PAGE]
            out.append(_page(frame, key, first=page_number == 1))
    return b"".join(out)
