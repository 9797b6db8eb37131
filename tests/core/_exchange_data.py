"""Test data for the exchange tests: the sample plus some received documents and attachments;
import templates filled in with rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from app.db import Database
from app.exchange.xlsx_columns import SUBMISSION_FIELDS, UNIT_FIELDS, Field
from app.exchange.xlsx_import import write_template
from app.services.submissions import SubmissionInput, record_submission, resolve_obligation

TODAY = dt.date(2018, 12, 31)

DOCUMENTS = [
    # unit, task, period, number, signed, received, channel, summary
    (
        "binh son",
        "ke hoach",
        None,
        "45/KH-UBND",
        "2018-04-25",
        "2018-04-27",
        "giay",
        "Kế hoạch phối hợp năm 2018",
    ),
    (
        "son tinh",
        "ke hoach",
        None,
        "12/KH-UBND",
        "2018-04-28",
        "2018-05-03",
        "email",
        "Kế hoạch (gửi muộn)",
    ),
    ("ly son", "ke hoach", None, "7/KH-UBND", "2018-04-20", "2018-04-23", "he_thong", ""),
    (
        "binh son",
        "6 thang",
        "6 tháng đầu năm 2018",
        "101/BC-UBND",
        "2018-06-15",
        "2018-06-18",
        "giay",
        "Báo cáo 6 tháng đầu năm\nnhiều dòng",
    ),
    (
        "so noi vu",
        "6 thang",
        "2018-H1",
        "88/BC-SNV",
        "2018-06-25",
        "2018-06-26",
        "email",
        "Báo cáo muộn",
    ),
    (
        "so tu phap",
        "bao cao dinh ky nam",
        "Năm 2018",
        "200/BC-STP",
        "2018-12-10",
        "2018-12-12",
        "giay",
        "",
    ),
]


def add_documents(db: Database) -> list[int]:
    ids = []
    for unit, task, period, number, signed, received, channel, summary in DOCUMENTS:
        with db.read() as session:
            obligation_id = resolve_obligation(
                session, unit=unit, directive="2116/UBND-NC", task=task, period=period
            ).id
        info = record_submission(
            db,
            SubmissionInput(
                obligation_id=obligation_id,
                number_symbol=number,
                signed_date=dt.date.fromisoformat(signed),
                received_date=dt.date.fromisoformat(received),
                signer="Nguyễn Văn A",
                channel=channel,
                summary=summary,
                assessment="Đạt",
            ),
            today=TODAY,
        )
        ids.append(info.id)
    return ids


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (except the change history), for comparing two states."""
    from sqlalchemy import inspect, text

    result: dict[str, list[tuple[object, ...]]] = {}
    names = [n for n in inspect(db.engine).get_table_names() if n != "alembic_version"]
    with db.read() as session:
        for name in sorted(names):
            if name == "audit_entry":
                continue
            rows = session.execute(text(f'SELECT * FROM "{name}"')).all()
            result[name] = sorted((tuple(r) for r in rows), key=repr)
    return result


def template_with(tmp_path: Path, kind: str, rows: list[list[object]], name: str = "") -> Path:
    """The import template of ``kind`` with ``rows`` typed in from its first data row (4),
    saved in ``tmp_path`` as ``name`` (default: ``<kind>.xlsx``)."""
    path = write_template(kind, tmp_path / (name or f"{kind}.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb["Nhập liệu"]
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value)
    wb.save(path)
    return path


def unit_row(**cells: object) -> list[object]:
    """A row of the units template: ``cells`` by field key (``name``, ``kind``, ``valid_from``…
    of ``UNIT_FIELDS``), every other cell empty."""
    return _row(UNIT_FIELDS, cells)


def document_row(
    unit: str,
    number: str,
    signed: object,
    received: object,
    *,
    task: str = "kế hoạch",
    period: str | None = None,
    **cells: object,
) -> list[object]:
    """A row of the received documents' template for directive 2116/UBND-NC (the plan unless
    ``task`` and ``period`` say otherwise); ``cells`` the later columns by field key
    (``signer``, ``summary``…), every other cell empty."""
    first = {"unit": unit, "directive": "2116/UBND-NC", "task": task, "period": period}
    dates = {"number_symbol": number, "signed_date": signed, "received_date": received}
    return _row(SUBMISSION_FIELDS, first | dates | cells)


def _row(fields: tuple[Field, ...], cells: dict[str, object]) -> list[object]:
    unknown = set(cells) - {f.key for f in fields}
    assert not unknown, f"no such column: {unknown}"
    return [cells.get(f.key) for f in fields]
