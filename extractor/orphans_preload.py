"""Imported by a batch's fork server only (it is in batch._PRELOAD): makes the fork server die with the
batch's main process. See orphans.py."""

from .orphans import die_with_parent

die_with_parent()
