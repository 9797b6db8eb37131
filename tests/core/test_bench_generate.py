"""The benchmark data generator: deterministic, and its bulk path derives the same obligations
as ``sync_task``; ``first_received``/``submission_count`` agree with the submissions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.generate import generate

KEY_SQL = (
    "SELECT t.sort_order, d.number_symbol, u.name, o.period_key, o.due_date, "
    "o.exempt_reason FROM obligation o JOIN task t ON t.id = o.task_id "
    "JOIN directive d ON d.id = t.directive_id JOIN unit u ON u.id = o.unit_id"
)


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute(sql).fetchall(), key=repr)
    finally:
        conn.close()


def test_bulk_path_gives_the_obligations_sync_task_gives(tmp_path: Path) -> None:
    by_sync = generate("S", tmp_path / "sync.db", seed=7, bulk=False)
    by_bulk = generate("S", tmp_path / "bulk.db", seed=7, bulk=True)
    assert by_sync.obligations == by_bulk.obligations > 500
    assert _rows(by_sync.path, KEY_SQL) == _rows(by_bulk.path, KEY_SQL)


def test_same_seed_same_data_and_received_fields_match_submissions(tmp_path: Path) -> None:
    first = generate("S", tmp_path / "a.db", seed=11)
    second = generate("S", tmp_path / "b.db", seed=11)
    assert (first.units, first.obligations, first.submissions) == (
        second.units,
        second.obligations,
        second.submissions,
    )
    assert _rows(first.path, KEY_SQL) == _rows(second.path, KEY_SQL)
    assert first.submissions > 0
    mismatched = _rows(
        first.path,
        """
        SELECT o.id FROM obligation o LEFT JOIN (
            SELECT obligation_id, MIN(received_date) AS first, COUNT(*) AS n
            FROM submission GROUP BY obligation_id) s ON s.obligation_id = o.id
        WHERE o.first_received IS NOT s.first OR o.submission_count != COALESCE(s.n, 0)""",
    )
    assert mismatched == []
    kinds = _rows(first.path, "SELECT DISTINCT kind FROM unit")
    assert len(kinds) == 3
    changed = _rows(
        first.path, "SELECT COUNT(*) FROM unit WHERE valid_from IS NOT NULL OR valid_to IS NOT NULL"
    )
    assert changed[0][0] >= 2
