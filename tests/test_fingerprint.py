"""The serve-time source fingerprint survives files and folders vanishing mid-scan (#11 §6)."""
from __future__ import annotations

from pathlib import Path

from tabiji.mkdocs_plugin import source_fingerprint


def test_file_vanishing_between_listing_and_stat_is_left_out(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.yml").write_text("a", encoding="utf-8")
    gone = tmp_path / "gone.yml"
    gone.write_text("b", encoding="utf-8")
    real_stat = Path.stat

    def racing_stat(self: Path, *args, **kwargs):
        if self == gone:
            raise FileNotFoundError(self)
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", racing_stat)
    assert [entry[0] for entry in source_fingerprint(tmp_path)] == [str(tmp_path / "a.yml")]


def test_missing_folder_gives_empty_fingerprint(tmp_path: Path) -> None:
    assert source_fingerprint(tmp_path / "journeys") == ()


def test_fingerprint_changes_when_a_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text("a", encoding="utf-8")
    before = source_fingerprint(tmp_path)
    path.write_text("ab", encoding="utf-8")
    assert source_fingerprint(tmp_path) != before
