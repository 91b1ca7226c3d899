"""Another process holding a download root's lock, for tests of two batches on one root."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from po_downloader.engine.system.root_lock import RootLock
    lock = RootLock.acquire(Path(sys.argv[1]), Path(sys.argv[2]), input_path=sys.argv[3])
    print("LOCKED", flush=True)
    sys.stdin.read()  # hold it until told (stdin closed) or killed
    lock.release()
    print("RELEASED", flush=True)
    """
)


class Holder:
    """Another process holding a root's lock: ``with Holder(root, data_dir, input) as other: ...``."""

    def __init__(self, root: Path, data: Path, input_path: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(root.resolve()), str(data.resolve()), input_path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=dict(os.environ, PYTHONPATH=str(REPO)),
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "LOCKED"

    def release(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        assert self.proc.stdout.readline().strip() == "RELEASED"
        self.proc.wait(10)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
