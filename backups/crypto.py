"""The archive's encryption: the plaintext is cut into chunks, each a Fernet token (AES-128-CBC
with HMAC-SHA256) that also carries its position and whether it is the last, so a chunk that is
changed, swapped, dropped or cut off is refused. Chunking keeps memory flat for large dumps."""

import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken

MAGIC = b"WAYSTATION-BACKUP-1\n"
CHUNK = 8 * 1024 * 1024
KEY_VARIABLE = "BACKUP_KEY"


class BackupError(Exception):
    pass


def backup_fernet(key: str | None = None) -> Fernet:
    key = key or os.environ.get(KEY_VARIABLE, "")
    if not key:
        raise BackupError(
            f"Set {KEY_VARIABLE} to a Fernet key (manage.py backup --new-key makes one) and keep "
            "it apart from the archives."
        )
    try:
        return Fernet(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise BackupError(f"{KEY_VARIABLE} is not a valid Fernet key: {error}") from None


def encrypt_stream(source: BinaryIO, target: BinaryIO, fernet: Fernet) -> None:
    target.write(MAGIC)
    index = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        token = fernet.encrypt(struct.pack(">Q?", index, last) + chunk)
        target.write(struct.pack(">I", len(token)) + token)
        if last:
            return
        index, chunk = index + 1, following


def decrypt_stream(source: BinaryIO, fernet: Fernet) -> Iterator[bytes]:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("This is not a Waystation backup archive.")
    index = 0
    while True:
        header = source.read(4)
        if len(header) < 4:
            raise BackupError("The archive is cut short.")
        token = source.read(struct.unpack(">I", header)[0])
        try:
            plain = fernet.decrypt(token)
        except InvalidToken:
            raise BackupError(
                "The archive cannot be decrypted with this key, or was changed."
            ) from None
        position, last = struct.unpack(">Q?", plain[:9])
        if position != index:
            raise BackupError("The archive's chunks are out of order.")
        yield plain[9:]
        if last:
            return
        index += 1
