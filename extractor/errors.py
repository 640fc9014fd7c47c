"""Errors a user sees as one line: the file and the reason, never a traceback.

Three families, one exit code each (see cli.py): `ReadError` (an input that cannot be read, exit 2),
`UsageError` (the command was used wrongly: a path, a value, a locked database; exit 2) and `DataError`
(the tool's own data files are missing or invalid: a broken installation or a bad edit; exit 3).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

ReadErrorKind = Literal[
    "corrupt",  # the bytes are not a valid file of their format
    "encrypted",  # a password is needed
    "scanned",  # a PDF without a text layer
    "garbled",  # a text layer that does not decode to text
    "legacy",  # .doc / .wps / .rtf: convert it first
    "unsupported",  # not a format jixiao reads
    "empty",  # a valid file without text
    "unsafe",  # refused before parsing: a DTD, an entity declaration
    "too_large",  # over a limit: file size, text length, pages, inflated zip size
    "timeout",  # over the time limit per document
    "unreadable_path",  # missing, a folder, no permission, a dangling link or a link loop
    "internal",  # a bug in jixiao (batch keeps going and stores it as such)
    "unreadable",  # not classified (a reader that does not say)
]
READ_ERROR_KINDS: tuple[str, ...] = get_args(ReadErrorKind)


class ReadError(Exception):
    """An input that cannot be read. `reason` is a short phrase such as "corrupt PDF"; `kind` its category."""

    def __init__(self, path: str | Path, reason: str, kind: ReadErrorKind = "unreadable"):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.kind: ReadErrorKind = kind

    def __reduce__(self):  # picklable with its fields: it crosses from batch workers to the main process
        return type(self), (self.path, self.reason, self.kind)


class UsageError(Exception):
    """The command was used wrongly; the message names what to change ("--workers must be at least 1")."""

    def __init__(self, subject: str | Path, message: str):
        super().__init__(f"{subject}: {message}")
        self.subject = str(subject)
        self.message = message

    def __reduce__(self):
        return type(self), (self.subject, self.message)


class DataError(Exception):
    """A data file of schemas/ (or the folder) is missing or invalid: names the file and, if known, the key."""

    def __init__(self, path: str | Path, message: str):
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.message = message

    def __reduce__(self):
        return type(self), (self.path, self.message)
