"""The ``grid`` route on a stand-in Grid node: each attachment's one file fetched back into staging with its
size and hash, the node emptied after each, and never a file taken for another attachment's."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from po_downloader.engine.browser.grid_downloads import GridDownloads, arrival, same_name
from po_downloader.engine.browser.portal import StartFailed
from po_downloader.engine.download_route import Attachment, Missing, unlike_staged
from po_downloader.engine.events import FileBytes, bytes_in
from po_downloader.engine.models import PoNumber
from po_downloader.engine.output.downloads import StagingDir

PO = PoNumber("1")
A = Attachment("a.pdf", "url", "https://acme.example.com/att/a", "a")
B = Attachment("b.pdf", "click", "", "b")
C = Attachment("a.pdf", "url", "https://acme.example.com/att/c", "c")  # the same name as A


class Node:
    """The node's download folder: a start lands ``saves[key]`` there (name, bytes), at once or never."""

    def __init__(
        self, folder: Path, saves: dict[str, tuple[str, bytes]], *, extra: dict[str, str] | None = None
    ):
        self.folder, self.saves, self.extra = folder, saves, extra or {}
        folder.mkdir()
        self.deleted = 0

    def get_downloadable_files(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir())

    def download_file(self, file_name: str, target_directory: str) -> None:
        shutil.copy(self.folder / file_name, Path(target_directory) / file_name)

    def delete_downloadable_files(self) -> None:
        self.deleted += 1
        for p in self.folder.iterdir():
            p.unlink()


class Portal:
    def __init__(self, node: Node, refuses: tuple[str, ...] = ()) -> None:
        self.node, self.refuses = node, refuses
        self.clicked: list[str] = []

    def _land(self, att: Attachment) -> None:
        if att.key in self.node.saves:
            name, body = self.node.saves[att.key]
            (self.node.folder / name).write_bytes(body)
            if att.key in self.node.extra:
                (self.node.folder / self.node.extra[att.key]).write_bytes(b"x")

    def start(self, att: Attachment) -> None:
        if att.key in self.refuses:
            raise StartFailed("ElementNotInteractableException", "")
        if att.url:
            return  # its URL starts nothing here: the click does
        self._land(att)

    def click(self, att: Attachment) -> None:
        self.clicked.append(att.key)
        self._land(att)

    def on_sign_in_page(self) -> bool:
        return False


def route(tmp_path: Path, node: Node, portal: Portal) -> GridDownloads:
    staging = tmp_path / "staging"
    staging.mkdir()
    ticks = iter(range(10_000))
    return GridDownloads(
        portal,  # type: ignore[arg-type]
        node,
        StagingDir(staging),
        begin_timeout=2,
        stall_timeout=5,
        clock=lambda: float(next(ticks)),
        sleep=lambda s: None,
    )


def test_arrival_reads_the_nodes_listing() -> None:
    assert arrival([]) is None
    assert arrival(["a.pdf.crdownload"]) == ()
    assert arrival(["a.pdf", "Unconfirmed 1.crdownload"]) == ()
    assert arrival(["a.pdf"]) == ("a.pdf",)


def test_each_attachment_gets_its_own_file_with_its_size_and_hash_even_under_one_name(tmp_path: Path) -> None:
    node = Node(
        tmp_path / "node",
        {"a": ("a.pdf", b"%PDF a"), "b": ("b.pdf", b"%PDF bee"), "c": ("a.pdf", b"%PDF c!")},
    )
    portal = Portal(node)
    got = route(tmp_path, node, portal).fetch(PO, [A, B, C], lambda n: None)
    assert not got.missed and not got.interrupted
    bodies = {f.attachment.key: (f.name, f.path.read_bytes()) for f in got.fetched}
    assert bodies == {"a": ("a.pdf", b"%PDF a"), "b": ("b.pdf", b"%PDF bee"), "c": ("a.pdf", b"%PDF c!")}
    for f in got.fetched:
        assert f.size == len(f.path.read_bytes())
        assert f.sha256 == hashlib.sha256(f.path.read_bytes()).hexdigest()
        assert unlike_staged(f) == ""
    assert node.get_downloadable_files() == [], "the node keeps nothing after the round"
    assert portal.clicked == ["a", "c"], "a URL that started nothing falls back to the click"


def test_an_attachment_that_starts_nothing_ends_the_round_for_the_ones_after_it(tmp_path: Path) -> None:
    node = Node(tmp_path / "node", {"b": ("b.pdf", b"%PDF bee")})
    got = route(tmp_path, node, Portal(node)).fetch(PO, [A, B], lambda n: None)
    assert [f.attachment for f in got.fetched] == []
    assert [(m.attachment.key, m.kind) for m in got.missed] == [
        ("a", Missing.STARTED_NOTHING),
        ("b", Missing.STARTED_NOTHING),
    ]


def test_two_files_for_one_attachment_are_neither_taken(tmp_path: Path) -> None:
    node = Node(tmp_path / "node", {"b": ("b.pdf", b"%PDF bee")}, extra={"b": "other.pdf"})
    got = route(tmp_path, node, Portal(node)).fetch(PO, [B], lambda n: None)
    assert got.fetched == ()
    assert [(m.attachment.key, m.kind) for m in got.missed] == [("b", Missing.NEVER_ARRIVED)]
    assert list((tmp_path / "staging").iterdir()) == []


def test_a_refused_start_misses_that_file_only(tmp_path: Path) -> None:
    node = Node(tmp_path / "node", {"b": ("b.pdf", b"%PDF bee")})
    got = route(tmp_path, node, Portal(node, refuses=("a",))).fetch(PO, [A, B], lambda n: None)
    assert [f.attachment.key for f in got.fetched] == ["b"]
    assert [(m.attachment.key, m.kind) for m in got.missed] == [("a", Missing.NOT_STARTED)]


def test_a_download_never_whole_is_stalled_and_removed_from_the_node(tmp_path: Path) -> None:
    node = Node(tmp_path / "node", {"b": ("b.pdf.crdownload", b"%PD")})
    got = route(tmp_path, node, Portal(node)).fetch(PO, [B], lambda n: None)
    assert [(m.attachment.key, m.kind) for m in got.missed] == [("b", Missing.STALLED)]
    assert node.get_downloadable_files() == []


def test_progress_counts_the_bytes_brought_back_file_by_file(tmp_path: Path) -> None:
    node = Node(tmp_path / "node", {"a": ("a.pdf", b"%PDF a"), "b": ("b.pdf", b"%PDF bee")})
    seen: list[tuple[FileBytes, ...]] = []
    route(tmp_path, node, Portal(node)).fetch(PO, [A, B], seen.append)
    assert [bytes_in(files) for files in seen] == [6, 14]
    assert seen[-1] == (FileBytes("a.pdf", 6, 6), FileBytes("b.pdf", 8, 8))


def test_names_are_compared_without_chromiums_numbering_or_case() -> None:
    assert same_name("Invoice (1).pdf", "invoice.PDF")
    assert same_name("report (12)", "report")
    assert not same_name("other.pdf", "invoice.pdf")


def test_after_a_start_that_began_nothing_a_file_under_another_name_is_not_taken(tmp_path: Path) -> None:
    """A's download may still begin late: in the next PO's round a file named unlike its attachment is
    not taken for it (it might be A's); one under its own name is."""
    node = Node(tmp_path / "node", {"b": ("late-a.pdf", b"%PDF ?"), "d": ("d.pdf", b"%PDF d")})
    grid = route(tmp_path, node, Portal(node))
    grid.fetch(PO, [A], lambda n: None)  # started nothing
    D = Attachment("d.pdf", "click", "", "d")
    got = grid.fetch(PoNumber("2"), [B, D], lambda n: None)
    assert [f.attachment.key for f in got.fetched] == ["d"]
    assert [(m.attachment.key, m.kind) for m in got.missed] == [("b", Missing.NEVER_ARRIVED)]
