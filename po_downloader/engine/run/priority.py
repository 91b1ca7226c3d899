"""Keep workers and their browsers below normal priority so the window stays responsive.

Children inherit a lowered priority, but a browser may raise its own processes again (Chromium does when
it can, e.g. run as root, and re-prioritises renderers as tabs change), so the worker re-checks its tree.
"""

from __future__ import annotations

import logging
import os
import sys

import psutil

log = logging.getLogger(__name__)

BACKGROUND_NICE = 10


def _background_value() -> int:
    return psutil.BELOW_NORMAL_PRIORITY_CLASS if sys.platform == "win32" else BACKGROUND_NICE


def _is_higher(value: int) -> bool:
    """Whether a process priority ``value`` runs ahead of the background level."""
    if sys.platform == "win32":
        order = [
            psutil.IDLE_PRIORITY_CLASS,
            psutil.BELOW_NORMAL_PRIORITY_CLASS,
            psutil.NORMAL_PRIORITY_CLASS,
            psutil.ABOVE_NORMAL_PRIORITY_CLASS,
            psutil.HIGH_PRIORITY_CLASS,
            psutil.REALTIME_PRIORITY_CLASS,
        ]
        return (
            order.index(value) > order.index(psutil.BELOW_NORMAL_PRIORITY_CLASS) if value in order else False
        )
    return value < BACKGROUND_NICE


def lower_own_priority() -> None:
    lower_priority(None)


def lower_priority(pid: int | None) -> None:
    """Put process ``pid`` (None: this one) at background priority; never fatal.

    The pool calls it on each worker the moment it is spawned: a spawned worker re-imports the app's main
    module and the engine before its own code can lower itself, and eight of them doing that at normal
    priority on a small machine starved the window of CPU (stalls of 75-105 ms while browsers started).
    """
    try:
        psutil.Process(pid).nice(_background_value())
    except (psutil.Error, OSError) as exc:
        log.debug("could not lower the priority of %s: %s", pid or "this process", exc)


def keep_children_in_background(parent: psutil.Process | None = None) -> int:
    """Put every descendant of ``parent`` (default: this process) back at background priority; returns how
    many processes (Linux: threads) it lowered."""
    parent = parent or psutil.Process()
    changed = 0
    try:
        children = parent.children(recursive=True)
    except psutil.Error:
        return 0
    for child in children:
        if sys.platform == "linux":
            changed += _threads_to_background(child)
            continue
        try:
            if _is_higher(child.nice()):
                child.nice(_background_value())
                changed += 1
        except (psutil.Error, OSError):
            continue  # gone, or not ours to change: never fight over it
    return changed


def _threads_to_background(process: psutil.Process) -> int:
    """Linux keeps a nice value per thread, and a Chromium that may (run as root) gives its compositor,
    IO and audio threads -8 and its foreground pool 0 while the process's main thread reads 10: eight
    browsers' threads then outran the window (stalls while their pages loaded). Each thread is lowered."""
    changed = 0
    try:
        threads = process.threads()
    except psutil.Error:
        return 0
    for thread in threads:
        try:
            if _is_higher(os.getpriority(os.PRIO_PROCESS, thread.id)):
                os.setpriority(os.PRIO_PROCESS, thread.id, BACKGROUND_NICE)
                changed += 1
        except OSError:
            continue  # gone, or not ours to change: never fight over it
    return changed
