"""Limits on one document: size, text, pages and time, each refused with a one-line `ReadError` (too_large,
timeout) instead of a process that runs for minutes or takes gigabytes.

The figures stage is linear in the text; these bound what a hostile or mistaken input can cost
(README.md "Limits" lists them).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from .errors import ReadError


class Limits(NamedTuple):
    max_bytes: int = 200 * 1024 * 1024  # the input file
    max_chars: int = 5_000_000  # the text read from it (about 2,500 pages of Chinese prose)
    max_pages: int = 3000  # PDF pages
    timeout: int = 120  # seconds per document (check, extract, batch)


DEFAULT_LIMITS = Limits()


class DocumentTimeout(BaseException):
    """Raised by SIGALRM; a BaseException so that no `except Exception` in a stage swallows it."""


def _raise_timeout(signum, frame) -> None:
    raise DocumentTimeout


@contextmanager
def time_limit(path: str | Path, seconds: int) -> Iterator[None]:
    """ReadError(kind timeout) when the block runs longer than `seconds` (0: no limit). Main thread only."""
    if seconds <= 0:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.alarm(seconds)
    try:
        yield
    except DocumentTimeout:
        raise ReadError(path, f"timeout after {seconds}s (the limit per document; see --timeout)", "timeout") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
