"""The benchmark runner still runs and writes its table (a smoke test: no timing asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

import bench.generate
from bench import run


def test_runner_writes_the_table_between_its_markers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench.generate, "DATA_DIR", tmp_path / "data")
    out = tmp_path / "performance.md"
    out.write_text(
        "# Performance\n\nKept text.\n\n<!-- bench:begin -->\nold\n"
        "<!-- bench:end -->\n\n## Bundle\n\nKept too.\n",
        encoding="utf-8",
    )
    code = run.main(
        [
            "--scales",
            "S",
            "--repeat",
            "1",
            "--only",
            "warnings,search,pdf,xlsx",
            "--out",
            str(out),
            "--json",
            str(tmp_path / "raw.json"),
        ]
    )
    text = out.read_text(encoding="utf-8")
    assert code == 0
    assert "Kept text." in text and "Kept too." in text and "\nold\n" not in text
    assert "| Warnings for a new as-of day (all directives) | S |" in text
    assert "pending merge" not in text and "not measured" not in text
    assert "| Synthesis report PDF, 130-unit appendix | S |" in text
    assert "| Excel export of 100,000 rows | S |" in text
    assert "cores" in text and "Python" in text
    assert (tmp_path / "data" / "S.db").exists()
