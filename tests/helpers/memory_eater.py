"""A real process that takes memory from the machine and gives it back on a signal.

``MemoryEater(mib)`` starts ``python -m tests.helpers.memory_eater <mib>``: it allocates ``mib`` MiB and
writes to every page (untouched pages cost nothing), says ``ATE``; on SIGUSR1 it frees them and says
``FREED``; it exits when its stdin closes. Tests of the resource governor use it to push the machine's
real memory reading over a threshold and back.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

PAGE = 4096
MIB = 1024 * 1024
REPO = Path(__file__).resolve().parents[2]


class MemoryEater:
    def __init__(self, mib: int, *, timeout: float = 60.0) -> None:
        self.mib = mib
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.memory_eater", str(mib)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=dict(os.environ, PYTHONPATH=str(REPO)),
        )
        self._expect("ATE", timeout)

    def _expect(self, word: str, timeout: float) -> None:
        assert self.proc.stdout is not None
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        assert line and line[0].strip() == word, f"memory eater said {line!r}, not {word}"

    def free(self, timeout: float = 30.0) -> None:
        """Give the memory back (the process stays until ``close``)."""
        self.proc.send_signal(signal.SIGUSR1)
        self._expect("FREED", timeout)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> MemoryEater:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _eat(mib: int) -> None:
    held: list[bytearray] = [bytearray(mib * MIB)]
    held[0][::PAGE] = b"\x01" * len(range(0, mib * MIB, PAGE))  # every page really in memory
    freed = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        held.clear()
        gc.collect()
        freed.set()

    signal.signal(signal.SIGUSR1, on_signal)
    sys.stdout.write("ATE\n")
    sys.stdout.flush()
    threading.Thread(target=sys.stdin.read, daemon=True).start()
    while not freed.wait(0.05):
        pass
    sys.stdout.write("FREED\n")
    sys.stdout.flush()
    sys.stdin.read()


if __name__ == "__main__":
    _eat(int(sys.argv[1]))
