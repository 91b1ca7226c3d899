"""Every event crosses a process pipe (pickle) unchanged and cannot be mutated by a sink."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus

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
    "dict[str, int]": {"COMPLETED": 3, "FAILED": 1},
    "ErrorKind": ErrorKind.PROFILE_NO_COOKIES,
    "dict[str, str]": {"path": "C:/Users/ação/Profile 1"},
    "PoNumber": PoNumber("15262984", "PM"),
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


def test_all_events_are_found() -> None:
    names = {cls.__name__ for cls in EVENT_CLASSES}
    assert {"Event", "PoFinished", "WorkerReady", "BatchFinished", "WorkerCountChanged"} <= names
    assert {"AttemptEnded", "PoRequeued", "PoLeftOver", "BatchProgress"} <= names
    assert len(names) >= 17


def test_every_event_about_one_po_carries_a_po_number() -> None:
    for cls in EVENT_CLASSES:
        types = {f.name: f.type for f in dataclasses.fields(cls)}
        if "po" in types:
            assert types["po"] in ("PoNumber", "PoNumber | None"), cls.__name__


def test_only_the_workers_attempt_says_retryable() -> None:
    holders = {
        cls.__name__ for cls in EVENT_CLASSES if "retryable" in {f.name for f in dataclasses.fields(cls)}
    }
    assert holders == {"AttemptEnded"}


def test_po_finished_is_only_ever_a_final_outcome() -> None:
    for status in PoStatus:
        if status.is_final:
            assert ev.PoFinished(1, PoNumber("1"), status).status is status
        else:
            with pytest.raises(ValueError, match="not a final outcome"):
                ev.PoFinished(1, PoNumber("1"), status)


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
