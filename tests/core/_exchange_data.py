"""Test data for the exchange tests: the sample plus some received documents and attachments."""

from __future__ import annotations

import datetime as dt

from app.db import Database
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
