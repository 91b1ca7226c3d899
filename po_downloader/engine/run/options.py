"""How a batch runs: the knobs a face sets on the controller (workers, attempts, timeouts, the governor)."""

from __future__ import annotations

from dataclasses import dataclass

from po_downloader.engine.run.pool import PoolTimeouts


@dataclass(frozen=True)
class BatchOptions:
    workers: int
    max_attempts: int = 3
    backoff_base: float = 2.0
    governor: bool = True
    pause_on_sign_in: bool = False
    """GUI: pause and wait for ``signed_in_again()``. CLI (False): end the batch and say so."""
    po_timeout: float = 900.0
    startup_timeout: float = 120.0
    heartbeat_timeout: float = PoolTimeouts.heartbeat
    max_start_failures: int = 3
    """Failed worker starts in a row that end the batch, counted only while no worker is running: with
    others at work a worker that cannot start is retried with a growing backoff and the batch goes on."""
    lookahead: bool = True
    """Reserve each worker's next PO and tell it, so its browser loads that page in a second tab while it
    works the current one (``run/lookahead.py``); off: one page at a time, as before (the bench's "before")."""
    max_sign_ins: int = 2
    """A PO that meets a sign-in page this often while other POs complete is FAILED, not requeued again."""
    breaker: int = 10
    """Stop sending a group once its last this-many POs all failed the same way (``run/breaker.py``); 0: off."""
    breaker_group: str = ""
    """The sheet column whose value groups POs for the breaker (a company code); "": the whole batch."""
