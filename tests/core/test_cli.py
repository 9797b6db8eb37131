import io
import json
import subprocess
import sys
from pathlib import Path

from app.cli import run

ROOT = Path(__file__).resolve().parents[2]


def cli(db_target, *args):
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db_target), *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def statuses(db_target, day, **filters):
    extra = [x for k, v in filters.items() for x in (f"--{k}", v)]
    code, out, err = cli(db_target, "status", "--as-of", day, "--json", *extra)
    assert code == 0, err
    return json.loads(out)["obligations"]


def test_done_when_scenario(db_target):
    code, out, _ = cli(db_target, "sample")
    assert code == 0 and "34 đơn vị" in out
    assert cli(db_target, "sample")[1].startswith("Dữ liệu mẫu đã có sẵn")
    rows = statuses(db_target, "2018-05-02", directive="2116/UBND-NC")
    plans = [r for r in rows if r["period_key"] == "-"]
    assert len(plans) == 14 and all(r["status"] == "overdue" for r in plans)
    code, out, err = cli(
        db_target,
        "receive",
        "--unit",
        "son tinh",
        "--directive",
        "2116/UBND-NC",
        "--task",
        "kế hoạch phối hợp",
        "--number",
        "45/KH-UBND",
        "--signed",
        "25/04/2018",
        "--received",
        "28/04/2018",
        "--today",
        "2018-05-02",
    )
    assert code == 0, err
    on_time_id = int(out.strip())
    code, out, err = cli(
        db_target,
        "receive",
        "--unit",
        "Bình Sơn",
        "--directive",
        "2116",
        "--task",
        "ke hoach",
        "--number",
        "50/KH-UBND",
        "--signed",
        "2018-05-02",
        "--received",
        "2018-05-03",
        "--today",
        "2018-05-03",
    )
    assert code == 0, err
    assert int(out.strip()) != on_time_id
    rows = statuses(db_target, "2018-05-03", unit="Sơn Tịnh")
    assert {r["period_key"]: r["status"] for r in rows}["-"] == "done_on_time"
    rows = statuses(db_target, "2018-05-03", unit="binh son")
    plan = next(r for r in rows if r["period_key"] == "-")
    assert plan["status"] == "done_late" and plan["received_date"] == "2018-05-03"
    # seen from 02/05 the late plan had not arrived yet
    rows = statuses(db_target, "2018-05-02", unit="binh son")
    assert next(r for r in rows if r["period_key"] == "-")["status"] == "overdue"


def test_periodic_receive_needs_a_period(db_target):
    cli(db_target, "sample")
    code, _, err = cli(
        db_target,
        "receive",
        "--unit",
        "Sở Tư pháp",
        "--directive",
        "2116/UBND-NC",
        "--task",
        "6 tháng",
        "--number",
        "1/BC-STP",
        "--signed",
        "15/06/2018",
        "--received",
        "18/06/2018",
        "--today",
        "2018-07-01",
    )
    assert code == 2 and "--period" in err and "6 tháng đầu năm 2018" in err
    code, _, err = cli(
        db_target,
        "receive",
        "--unit",
        "Sở Tư pháp",
        "--directive",
        "2116/UBND-NC",
        "--task",
        "6 tháng",
        "--period",
        "6 thang dau nam 2018",
        "--number",
        "1/BC-STP",
        "--signed",
        "15/06/2018",
        "--received",
        "18/06/2018",
        "--today",
        "2018-07-01",
    )
    assert code == 0, err
    rows = statuses(db_target, "2018-07-01", unit="so tu phap", status="done_on_time")
    assert [r["period"] for r in rows] == ["6 tháng đầu năm 2018"]


def test_errors_are_vietnamese_with_exit_codes_and_write_nothing(db_target):
    cli(db_target, "sample")
    code, _, err = cli(
        db_target,
        "receive",
        "--unit",
        "son",
        "--directive",
        "2116/UBND-NC",
        "--task",
        "kế hoạch",
        "--number",
        "1/KH",
        "--signed",
        "2018-04-20",
        "--received",
        "2018-04-21",
    )
    assert code == 2 and "khớp với" in err and "Sơn Tây" in err
    code, _, err = cli(
        db_target,
        "receive",
        "--unit",
        "Lý Sơn",
        "--directive",
        "2116/UBND-NC",
        "--task",
        "kế hoạch",
        "--number",
        "1/KH",
        "--signed",
        "31/02/2018",
        "--received",
        "2018-04-21",
    )
    assert code == 2 and "không tồn tại" in err
    code, _, err = cli(
        db_target,
        "receive",
        "--unit",
        "Lý Sơn",
        "--directive",
        "2116/UBND-NC",
        "--task",
        "kế hoạch",
        "--number",
        "1/KH",
        "--signed",
        "2018-04-22",
        "--received",
        "2018-04-21",
        "--today",
        "2018-05-01",
    )
    assert code == 2 and "trước ngày ký" in err
    code, _, err = cli(db_target, "status", "--as-of", "hôm qua")
    assert code == 2 and "ngày/tháng/năm" in err
    rows = statuses(db_target, "2018-05-02", unit="Lý Sơn")
    assert all(r["submissions"] == 0 for r in rows)


def test_units_listing_json(db_target):
    cli(db_target, "sample")
    code, out, _ = cli(db_target, "units", "--json", "--kind", "huyen")
    data = json.loads(out)
    assert code == 0 and len(data) == 14
    tay_tra = next(u for u in data if u["short_name"] == "Tây Trà")
    assert tay_tra["valid_to"] == "2020-01-31" and tay_tra["successor_name"].endswith("Trà Bồng")


def test_module_entry_point_runs_headless(tmp_path):
    db_file = tmp_path / "x.db"
    env_code = (
        "import sys, app.__main__ as m; code = m.main(['--db', sys.argv[1], 'sample']);"
        "assert 'PySide6' not in sys.modules and 'ui' not in sys.modules; sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", env_code, str(db_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Đã nạp dữ liệu mẫu" in result.stdout
