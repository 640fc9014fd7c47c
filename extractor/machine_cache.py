"""Files jixiao derives once per machine and reads back in later processes: the validated Config, jieba's
word list and tokenizer state. Each file's name carries the digest of everything it was derived from, so
an edited input is a different name (a miss), never a stale hit; an unreadable or corrupt file is a miss
too, and the caller derives the value again and rewrites it.

The folder is `$XDG_CACHE_HOME/jixiao` (else `~/.cache/jixiao`), or, where that cannot be written, the
system's temporary folder. Files are written whole under a temporary name and renamed, so a parallel
process (a batch worker) never reads half a file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def folders() -> tuple[Path, ...]:
    """Where cached files may live, in order of preference."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home / "jixiao", Path(tempfile.gettempdir()) / "jixiao"


def folder() -> Path | None:
    """The one folder this process reads and writes: the first of `folders()` that can be written. Reading
    only where we would write keeps a stale file in the fallback (left by a run whose home folder was not
    writable) from answering for a process that has a home cache of its own. None: no cache at all."""
    for candidate in folders():
        try:
            candidate.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    return None


def digest(parts: Iterable[bytes | str]) -> str:
    """A short key over `parts`, each length-prefixed so that no two different sequences give the same key."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "little"))
        sha.update(data)
    return sha.hexdigest()[:32]


def read(name: str) -> bytes | None:
    """The content of the cached file `name`, None when there is none (or it cannot be read). Only a file this
    user owns is read: the temporary folder is shared, and a cached Config is a pickle."""
    where = folder()
    if where is None:
        return None
    try:
        with (where / name).open("rb") as handle:
            if hasattr(os, "geteuid") and os.fstat(handle.fileno()).st_uid != os.geteuid():
                return None
            return handle.read()
    except OSError:
        return None


def write(name: str, data: bytes) -> Path | None:
    """Store `data` as `name` ("kind-digest.suffix") in the cache folder, keeping the `KEEP` newest files of its
    kind (an edited data file or a new version leaves the old ones unused); None when it cannot be written (a
    cache is an optimisation)."""
    where = folder()
    if where is None:
        return None
    try:
        partial = where / f"{name}.{os.getpid()}.tmp"
        partial.write_bytes(data)
        partial.replace(where / name)  # atomic: a parallel reader sees the old file or the whole new one
    except OSError:
        return None
    _prune(where, name)
    return where / name


KEEP = 4  # files of one kind: a few rule sets (--schemas copies) used in turn each keep theirs


def _prune(folder: Path, name: str) -> None:
    kind, suffix = name.rsplit("-", 1)[0], Path(name).suffix
    try:
        same = sorted(folder.glob(f"{kind}-*{suffix}"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for old in same[KEEP:]:
            old.unlink()
    except OSError:
        pass  # another process pruned it first
