"""Every event crosses a process pipe (pickle) unchanged, cannot be mutated by a sink, routes by a\n``PoNumber`` and carries a PO's outcome as one ``PoOutcome``."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome

EVENT_CLASSES = sorted(
    (
        cls
        for _, cls in inspect.getmembers(ev, inspect.isclass)
        if issubclass(cls, ev.Event) and cls.__module__ == ev.__name__
    ),
    key=lambda cls: cls.__name__,
)

#: A non-default sample per annotation, so a field that pickling dropped would show.
SAMPLES: dict[str, object] = {
    "int": 7,
    "int | None": -9,
    "float": 2.5,
    "bool": True,
    "str": "PO15262984 — ação",
    "PoStatus": PoStatus.PARTIAL,
    "tuple[int, ...]": (101, 202),
    "tuple[str, ...]": ("a.pdf", "b (1).msg"),
    "tuple[FileBytes, ...]": (ev.FileBytes("a.pdf", 10, 20),),
    "dict[str, int]": {"COMPLETED": 3, "FAILED": 1},
    "ErrorKind": ErrorKind.PROFILE_NO_COOKIES,
    "ErrorKind | None": ErrorKind.FOLDER_HELD,
    "ProbeResult": ev.ProbeResult.DISAGREED,
    "dict[str, str]": {"path": "C:/Users/ação/Profile 1"},
    "PoNumber": PoNumber("15262984", "PM"),
    "PoOutcome": PoOutcome(
        PoStatus.PARTIAL,
        "Acme — ação",
        "/root/Acme/PM15262984_PARTIAL",
        3,
        2,
        4096,
        ("a.pdf", "b (1).msg"),
        "missing 1 of 3",
        ErrorKind.SHEET_NOT_FOUND,
        {"path": "C:/x"},
        "https://coupa/po/15262984",
    ),
    "PoNumber | None": PoNumber("15262985"),
    "BatchSummary": ev.BatchSummary(
        {"15262984": PoStatus.PARTIAL, "15262985": PoStatus.PENDING}, 12.5, 4096, True, "x", True, 3, 2
    ),
}


def sample(cls: type[ev.Event]) -> ev.Event:
    values = {}
    for f in dataclasses.fields(cls):
        assert f.type in SAMPLES, f"no sample for {cls.__name__}.{f.name}: {f.type}"
        values[f.name] = SAMPLES[f.type]
    return cls(**values)


def test_an_outcome_travels_whole_in_the_two_events_that_end_an_attempt() -> None:
    """The PO's outcome is one ``PoOutcome`` value, not fields copied onto each event."""
    holders = {
        cls.__name__ for cls in EVENT_CLASSES if "PoOutcome" in {f.type for f in dataclasses.fields(cls)}
    }
    assert holders == {"AttemptEnded", "PoFinished"}
    copies = {
        (cls.__name__, f.name)
        for cls in EVENT_CLASSES
        for f in dataclasses.fields(cls)
        if f.name in {"found", "downloaded"}
    }
    assert not copies, f"outcome fields declared outside PoOutcome: {copies}"


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.__name__)
def test_every_event_about_one_po_carries_a_po_number(cls: type[ev.Event]) -> None:
    """Sinks route a PO's event by value: its ``po`` is a ``PoNumber`` (never display text)."""
    types = {f.name: f.type for f in dataclasses.fields(cls)}
    if "po" not in types:
        return
    assert types["po"] in ("PoNumber", "PoNumber | None"), cls.__name__
    assert isinstance(sample(cls).po, PoNumber)  # type: ignore[attr-defined]
    if types["po"] == "PoNumber":
        assert issubclass(cls, ev.PoEvent), cls.__name__


def test_only_the_workers_attempt_says_retryable() -> None:
    holders = {
        cls.__name__ for cls in EVENT_CLASSES if "retryable" in {f.name for f in dataclasses.fields(cls)}
    }
    assert holders == {"AttemptEnded"}


def test_po_finished_is_only_ever_a_final_outcome() -> None:
    for status in PoStatus:
        if status.is_final:
            assert ev.PoFinished(1, PoNumber("1"), PoOutcome(status)).outcome.status is status
        else:
            with pytest.raises(ValueError, match="not a final outcome"):
                ev.PoFinished(1, PoNumber("1"), PoOutcome(status))
            assert ev.AttemptEnded(1, PoNumber("1"), PoOutcome(status)).outcome.status is status


def test_an_outcome_cannot_be_changed_by_a_sink() -> None:
    outcome = SAMPLES["PoOutcome"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.status = PoStatus.COMPLETED  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(outcome)) == outcome


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.__name__)
def test_event_pickles_equal(cls: type[ev.Event]) -> None:
    event = sample(cls)
    for protocol in (pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL):
        copy = pickle.loads(pickle.dumps(event, protocol=protocol))
        assert type(copy) is cls
        assert copy == event
        for f in dataclasses.fields(cls):
            assert getattr(copy, f.name) == getattr(event, f.name)


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.__name__)
def test_event_is_frozen(cls: type[ev.Event]) -> None:
    event = sample(cls)
    assert dataclasses.is_dataclass(cls)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.worker = 99  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):
        event.extra = 1  # type: ignore[attr-defined]
