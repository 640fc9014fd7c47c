"""Processes of a batch die with the process that started them (Linux; elsewhere nothing happens).

A batch's workers are forked by multiprocessing's fork server, and every worker holds the pipe whose
closing tells the fork server that its client is gone: when the batch's main process is killed, neither
notices, and the workers run on for minutes. The kernel's parent-death signal breaks the knot: the fork
server gets SIGKILL when the main process dies, and each worker when the fork server dies.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

_PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)


def die_with_parent(main_pid: int | None = None) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies; exit now if the parent, or the batch's
    main process `main_pid`, is already gone (a worker can start after its fork server was killed)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1 or (main_pid is not None and not _alive(main_pid)):
        os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
