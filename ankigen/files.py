"""Ground floor for writing and hashing files: any stage or command may use these, and they
use no stage."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

from . import jsontext
from .errors import OutputError


def content_hash(*parts: object) -> str:
    """A short hash of JSON-able values: what a note or the note type shows, for the lock."""
    return hashlib.sha256(jsontext.encode(parts).encode()).hexdigest()[:16]


def write_atomic(target: Path, write) -> None:
    """Call ``write(tmp_path)`` and move the result onto ``target`` only if it completed."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        reason = ("a file is where a folder should be" if exc.errno in (errno.EEXIST, errno.ENOTDIR)
                  else exc.strerror)
        raise OutputError(f"{target.parent.absolute()}: cannot write there ({reason})") from None
    try:
        write(Path(tmp))
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; decks are for sharing
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:  # sqlite reports a full disk in its own words
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OutputError(f"{target.absolute()}: cannot write ({reason}); nothing was replaced: "
                          "check the free space and permissions there") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
