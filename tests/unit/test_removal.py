"""Removing a folder we made: read-only files and folders go too, a symlink is unlinked and never followed."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine.system import removal
from po_downloader.engine.system.removal import remove_tree


def test_remove_tree_removes_read_only_content_and_never_follows_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "keep.txt").parent.mkdir(parents=True)
    (outside / "keep.txt").write_text("not ours")
    dest = tmp_path / "copy"
    (dest / "Default" / "Network").mkdir(parents=True)
    (dest / "Default" / "Preferences").write_text("{}")
    (dest / "Default" / "Network" / "Cookies").write_bytes(b"secret")
    (dest / "Default" / "Preferences").chmod(0o400)
    (dest / "Default" / "Network").chmod(0o500)
    (dest / "escape").symlink_to(outside)

    remove_tree(dest)

    assert not dest.exists()
    assert (outside / "keep.txt").read_text() == "not ours"
    remove_tree(dest)  # missing is fine
    link = tmp_path / "link"
    link.symlink_to(outside)
    remove_tree(link)
    assert not link.exists() and (outside / "keep.txt").is_file()
    single = tmp_path / "file.txt"
    single.write_text("x")
    remove_tree(single)
    assert not single.exists()


def test_remove_tree_retries_then_gives_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file a just-exited browser still holds (Windows) fails a few times, then goes; one that never
    lets go raises after the last attempt."""
    dest = tmp_path / "held"
    dest.mkdir()
    calls: list[Path] = []
    real_rmtree = removal._rmtree

    def held_twice(path: Path) -> None:
        calls.append(path)
        if len(calls) <= 2:
            raise PermissionError(13, "in use", str(path))
        real_rmtree(path)

    monkeypatch.setattr(removal, "_rmtree", held_twice)
    monkeypatch.setattr(removal.time, "sleep", lambda _s: None)
    remove_tree(dest, attempts=3)
    assert len(calls) == 3 and not dest.exists()

    dest.mkdir()
    calls.clear()
    with pytest.raises(PermissionError):
        remove_tree(dest, attempts=2)
    assert len(calls) == 2 and dest.is_dir()
