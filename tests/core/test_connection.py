"""Choosing the database: file or server URL, the saved choice without password, the keyring,
the connection test and its Vietnamese messages."""

import io
import os

import pytest
from sqlalchemy import make_url

from app import connection as conn
from app.cli import run
from app.db import connect
from app.errors import DatabaseError, ValidationError

PG_URL = os.environ.get("SOTHEODOI_TEST_DATABASE_URL", "")


class FakeKeyring:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, name: str) -> str | None:
        return self.items.get((service, name))

    def set_password(self, service: str, name: str, password: str) -> None:
        self.items[(service, name)] = password

    def delete_password(self, service: str, name: str) -> None:
        self.items.pop((service, name), None)


@pytest.fixture
def ring(monkeypatch):
    fake = FakeKeyring()
    monkeypatch.setattr(conn, "_keyring", lambda: fake)
    return fake


@pytest.fixture
def no_ring(monkeypatch):
    monkeypatch.setattr(conn, "_keyring", lambda: None)


def test_precedence_of_command_line_environment_saved_and_default(tmp_path, no_ring):
    url = "postgresql://u:p@10.0.0.5/sotheodoi"
    assert conn.resolve_target(None, url, env={}, folder=tmp_path).url == (
        "postgresql+psycopg://u:p@10.0.0.5/sotheodoi"
    )
    assert conn.resolve_target("x.db", url, env={}, folder=tmp_path).source == "--database-url"
    assert conn.resolve_target("x.db", None, env={conn.URL_ENV: url}, folder=tmp_path).url.endswith(
        "x.db"
    )
    env_target = conn.resolve_target(None, None, env={conn.URL_ENV: url}, folder=tmp_path)
    assert env_target.source == conn.URL_ENV and env_target.is_server
    default = conn.resolve_target(None, None, env={}, folder=tmp_path)
    assert default.source == "default" and not default.is_server
    conn.save_server_config(conn.ServerConfig(host="192.168.1.10"), tmp_path)
    saved = conn.resolve_target(None, None, env={}, folder=tmp_path)
    assert saved.source == "saved" and saved.needs_password
    assert make_url(saved.url).host == "192.168.1.10" and make_url(saved.url).password is None
    conn.save_server_config(None, tmp_path)
    assert conn.resolve_target(None, None, env={}, folder=tmp_path).source == "default"


def test_password_never_in_the_settings_file_keyring_used_when_there(tmp_path, ring):
    server = conn.ServerConfig(
        host="may-chu", port=5433, database="sotheodoi", user="lan", remember_password=True
    )
    path = conn.save_server_config(server, tmp_path)
    assert conn.store_password(server, "Mật-khẩu-bí-mật")
    assert "Mật-khẩu-bí-mật" not in path.read_text(encoding="utf-8")
    assert conn.load_server_config(tmp_path) == server
    target = conn.resolve_target(None, None, env={}, folder=tmp_path)
    assert not target.needs_password
    assert make_url(target.url).password == "Mật-khẩu-bí-mật"
    assert "Mật-khẩu-bí-mật" not in conn.redact(target.url)
    # a URL without password takes the remembered one
    plain = conn.resolve_target(None, "postgresql://lan@may-chu:5433/sotheodoi", env={})
    assert make_url(plain.url).password == "Mật-khẩu-bí-mật"
    conn.forget_password(server)
    assert conn.resolve_target(None, None, env={}, folder=tmp_path).needs_password


def test_without_keyring_nothing_is_stored_and_the_password_is_asked(tmp_path, no_ring):
    server = conn.ServerConfig(host="may-chu", remember_password=True)
    conn.save_server_config(server, tmp_path)
    assert not conn.keyring_available()
    assert conn.store_password(server, "x") is False
    assert conn.resolve_target(None, None, env={}, folder=tmp_path).needs_password


def test_local_user_name(tmp_path, monkeypatch):
    assert conn.local_user_name(tmp_path) == ""
    conn.save_local_user_name("  Nguyễn   Thị Lan ", tmp_path)
    conn.save_server_config(conn.ServerConfig(host="h"), tmp_path)  # keeps the name
    assert conn.local_user_name(tmp_path) == "Nguyễn Thị Lan"
    monkeypatch.setenv(conn.USER_ENV, "Máy 2")
    assert conn.local_user_name(tmp_path) == "Máy 2"


def test_server_form_validation():
    with pytest.raises(ValidationError) as err:
        conn.ServerConfig(host=" ", port=0, database="", user="").validate()
    assert set(err.value.errors) == {"host", "port", "database", "user"}
    conn.ServerConfig(host="192.168.1.10").validate()
    server, password = conn.ServerConfig.from_url("postgres://a:b@h:6000/d")
    assert (server.host, server.port, server.database, server.user, password) == (
        "h",
        6000,
        "d",
        "a",
        "b",
    )
    assert conn.is_server_url(server.url()) and not conn.is_server_url("sqlite:///x.db")


def test_unreachable_server_says_what_to_check():
    with pytest.raises(DatabaseError) as err:
        conn.check_connection("postgresql://u:p@127.0.0.1:1/sotheodoi", timeout=3)
    message = err.value.message
    assert "Không kết nối được tới máy chủ 127.0.0.1:1" in message and "tường lửa" in message
    assert ":p@" not in message


def test_cli_with_unreachable_server_writes_nothing_locally(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = run(["--database-url", "postgresql://u:secret@127.0.0.1:1/x", "units"], out=out, err=err)
    assert code == 4 and "Không kết nối được" in err.getvalue()
    assert "secret" not in err.getvalue()
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv(conn.URL_ENV, "postgresql://u:secret@127.0.0.1:1/x")
    assert run(["units"], out=out, err=err) == 4


def test_cli_saved_server_without_password_explains(tmp_path, monkeypatch, no_ring):
    conn.save_server_config(conn.ServerConfig(host="127.0.0.1", port=1))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    out, err = io.StringIO(), io.StringIO()
    assert run(["units"], out=out, err=err) == 1
    assert "Cần mật khẩu" in err.getvalue() and "SOTHEODOI_DATABASE_URL" in err.getvalue()


@pytest.mark.pg_only
def test_real_server_messages(db_target):
    url = make_url(db_target)
    assert "Kết nối thành công" in conn.check_connection(db_target)
    with pytest.raises(DatabaseError) as err:
        conn.check_connection(url.set(password="sai-mat-khau").render_as_string(False))
    assert "Sai tên đăng nhập hoặc mật khẩu" in err.value.message
    with pytest.raises(DatabaseError) as err:
        conn.check_connection(url.set(database="khong_co_csdl").render_as_string(False))
    assert 'chưa có cơ sở dữ liệu "khong_co_csdl"' in err.value.message
    with pytest.raises(DatabaseError) as err:
        connect(url.set(password="sai").render_as_string(False))
    assert "Sai tên đăng nhập hoặc mật khẩu" in err.value.message
    db = connect(db_target)
    try:
        assert db.is_server and not db.is_sqlite and db.path is None
        assert "đã có dữ liệu" in conn.check_connection(db_target)
    finally:
        db.dispose()


BAD_SERVER_URLS = {
    "no scheme (an IP)": ("192.168.1.10", 'thiếu "postgresql://"'),
    "a word": ("garbage", 'thiếu "postgresql://"'),
    "empty": ("", 'thiếu "postgresql://"'),
    "MySQL": ("mysql://u@may-chu/so", "chỉ dùng được máy chủ PostgreSQL"),
    "SQLite URL": ("sqlite:///x.db", "chỉ dùng được máy chủ PostgreSQL"),
    "port not a number": ("postgresql://u@may-chu:abc/so", "không đọc được"),
    "port of 5,000 digits": ("postgresql://u@may-chu:" + "9" * 5000 + "/so", "không đọc được"),
    "no host": ("postgresql:///so", "thiếu tên máy chủ"),
    "no database": ("postgresql://u@may-chu:5432", "thiếu tên cơ sở dữ liệu"),
}


@pytest.mark.parametrize("case", list(BAD_SERVER_URLS))
def test_a_server_url_must_be_a_server_url_and_nothing_is_created(
    case, tmp_path, monkeypatch, no_ring
):
    """`--database-url 192.168.1.10` once created a local SQLite file named "192.168.1.10"."""
    url, expected = BAD_SERVER_URLS[case]
    monkeypatch.chdir(tmp_path)
    for argv in (["--database-url", url, "status"], ["--database-url", url, "units", "--json"]):
        out, err = io.StringIO(), io.StringIO()
        code = run(argv, out=out, err=err)
        assert code == DatabaseError.exit_code, err.getvalue()
        message = err.getvalue()
        assert message.startswith("Lỗi: ") and expected in message
        assert "postgresql://user@host:5432/dbname" in message
        assert "Traceback" not in message and out.getvalue() == ""
    monkeypatch.setenv(conn.URL_ENV, url or " x")
    with pytest.raises(DatabaseError):
        conn.resolve_target(None, None)
    assert list(tmp_path.iterdir()) == []  # no file named after the text


def test_the_example_in_the_message_uses_the_address_she_typed(no_ring):
    with pytest.raises(DatabaseError) as err:
        conn.resolve_target(None, "192.168.1.10")
    assert "postgresql://sotheodoi@192.168.1.10:5432/sotheodoi" in err.value.message
