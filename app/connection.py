"""Where the data lives: an SQLite file (the default) or a shared PostgreSQL server.

The choice of server is saved on this PC in ``<data folder>/ket-noi.json`` — host, port,
database and user, never the password. The password goes to the system keyring (Windows
Credential Manager) when one is available and the user asks to remember it; otherwise the
window asks for it at each start. ``SOTHEODOI_DATABASE_URL`` or ``--database-url`` override the
saved choice (a password inside that URL is the user's own choice).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from app.errors import DatabaseError, ValidationError
from app.paths import DB_ENV, data_dir, default_db_path

URL_ENV = "SOTHEODOI_DATABASE_URL"
USER_ENV = "SOTHEODOI_USER"
CONFIG_FILENAME = "ket-noi.json"
KEYRING_SERVICE = "Sổ theo dõi (PostgreSQL)"
DEFAULT_PORT = 5432
DRIVER = "postgresql+psycopg"


def is_server_url(target: str | None) -> bool:
    """True for a server URL (postgresql://…), False for a file path or sqlite:// URL."""
    if not target or "://" not in target:
        return False
    return not target.startswith("sqlite")


def normalise_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` are read with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return DRIVER + "://" + url.removeprefix(prefix)
    return url


def redact(target: str) -> str:
    """The URL without its password, for titles, logs and messages."""
    if not is_server_url(target):
        return target
    try:
        return make_url(target).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "(địa chỉ máy chủ không hợp lệ)"


@dataclass(frozen=True)
class ServerConfig:
    """A PostgreSQL server as the connection dialog edits it (no password)."""

    host: str
    port: int = DEFAULT_PORT
    database: str = "sotheodoi"
    user: str = "sotheodoi"
    remember_password: bool = False

    def url(self, password: str | None = None) -> str:
        return URL.create(
            DRIVER,
            username=self.user,
            password=password or None,
            host=self.host,
            port=self.port,
            database=self.database,
        ).render_as_string(hide_password=False)

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @classmethod
    def from_url(cls, url: str) -> tuple[ServerConfig, str | None]:
        """The server and the password (None when the URL has none)."""
        parsed = make_url(normalise_url(url))
        return cls(
            host=parsed.host or "localhost",
            port=parsed.port or DEFAULT_PORT,
            database=parsed.database or "",
            user=parsed.username or "",
        ), parsed.password

    def validate(self) -> None:
        errors: dict[str, str] = {}
        if not self.host.strip() or " " in self.host.strip():
            errors["host"] = "Hãy nhập tên hoặc địa chỉ IP của máy chủ, ví dụ 192.168.1.10."
        if not 1 <= int(self.port) <= 65535:
            errors["port"] = "Cổng phải từ 1 đến 65535 (PostgreSQL thường dùng cổng 5432)."
        if not self.database.strip():
            errors["database"] = "Hãy nhập tên cơ sở dữ liệu, ví dụ sotheodoi."
        if not self.user.strip():
            errors["user"] = "Hãy nhập tên đăng nhập (người dùng PostgreSQL)."
        if errors:
            raise ValidationError(next(iter(errors.values())), errors=errors)


# --- saved choice (no password) ---------------------------------------------------------------


def config_path(folder: Path | None = None) -> Path:
    return (folder or data_dir()) / CONFIG_FILENAME


def load_server_config(folder: Path | None = None) -> ServerConfig | None:
    """The saved server, or None: this PC uses its SQLite file."""
    path = config_path(folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    server = data.get("server") if isinstance(data, dict) else None
    if not isinstance(server, dict) or not server.get("host"):
        return None
    try:
        return ServerConfig(
            host=str(server["host"]),
            port=int(server.get("port", DEFAULT_PORT)),
            database=str(server.get("database", "sotheodoi")),
            user=str(server.get("user", "sotheodoi")),
            remember_password=bool(server.get("remember_password", False)),
        )
    except (TypeError, ValueError):
        return None


def save_server_config(config: ServerConfig | None, folder: Path | None = None) -> Path:
    """Save the choice (None: back to the SQLite file). Written to a temp name, then renamed."""
    return _update_config({"server": asdict(config) if config is not None else None}, folder)


def local_user_name(folder: Path | None = None) -> str:
    """The name this PC writes into the audit trail (``SOTHEODOI_USER``, else the one saved by
    the connection dialog); "" when none is set."""
    env = os.environ.get(USER_ENV, "").strip()
    if env:
        return env
    try:
        data = json.loads(config_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    name = data.get("user_name") if isinstance(data, dict) else None
    return str(name).strip() if name else ""


def save_local_user_name(name: str, folder: Path | None = None) -> None:
    _update_config({"user_name": " ".join(name.split())[:100]}, folder)


def _update_config(changes: dict[str, Any], folder: Path | None = None) -> Path:
    path = config_path(folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    data.update(changes)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


# --- the password in the system keyring -------------------------------------------------------


def _keyring() -> Any | None:
    """The keyring module when a real backend is there (not the 'fail' or 'null' one)."""
    try:
        import keyring
        from keyring.backend import KeyringBackend
    except Exception:
        return None
    try:
        backend: KeyringBackend = keyring.get_keyring()
    except Exception:
        return None
    module = type(backend).__module__
    if module.endswith((".fail", ".null")) or getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


def keyring_available() -> bool:
    return _keyring() is not None


def stored_password(config: ServerConfig) -> str | None:
    ring = _keyring()
    if ring is None:
        return None
    try:
        return ring.get_password(KEYRING_SERVICE, config.label)  # type: ignore[no-any-return]
    except Exception:
        return None


def store_password(config: ServerConfig, password: str) -> bool:
    """Remember the password in the keyring; False when there is none (ask at each start)."""
    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.set_password(KEYRING_SERVICE, config.label, password)
    except Exception:
        return False
    return True


def forget_password(config: ServerConfig) -> None:
    ring = _keyring()
    if ring is None:
        return
    with contextlib.suppress(Exception):
        ring.delete_password(KEYRING_SERVICE, config.label)


# --- choosing the database at start-up ---------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What to open. ``url`` is a file path or a full URL; ``needs_password``: a saved server
    whose password is neither remembered nor given (the window asks for it)."""

    url: str
    source: str  # "--database-url", "--db", URL_ENV, DB_ENV, "saved", "default"
    server: ServerConfig | None = None
    needs_password: bool = False

    @property
    def is_server(self) -> bool:
        return is_server_url(self.url)


URL_HELP = (
    "Địa chỉ máy chủ viết theo dạng postgresql://người_dùng@máy_chủ:5432/tên_csdl "
    "(postgresql://user@host:5432/dbname), ví dụ {example}. Nếu muốn dùng tệp dữ liệu "
    "trên máy này, hãy dùng --db TỆP thay cho --database-url."
)


def check_server_url(url: str) -> str:
    """``url`` when it is a PostgreSQL server URL with a host, normalised for psycopg; else a
    :class:`DatabaseError` that shows how to write one. Nothing is created or opened: a typo
    must never become a local file named after it."""
    text = url.strip()
    shown = text if len(text) <= 80 else text[:77] + "…"
    host = "192.168.1.10"
    bare = text.split("://", 1)[-1].rsplit("@", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    if len(bare) <= 64 and re.fullmatch(r"[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+|localhost", bare):
        host = bare
    example = f"postgresql://sotheodoi@{host}:{DEFAULT_PORT}/sotheodoi"
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if not scheme:
        raise DatabaseError(
            f'"{shown}" không phải địa chỉ máy chủ PostgreSQL (thiếu '
            '"postgresql://" ở đầu). ' + URL_HELP.format(example=example)
        )
    if scheme.split("+", 1)[0] not in ("postgresql", "postgres"):
        raise DatabaseError(
            f"Chương trình chỉ dùng được máy chủ PostgreSQL, không dùng được "
            f'"{scheme}". ' + URL_HELP.format(example=example)
        )
    try:
        parsed = make_url(normalise_url(text))
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(
            "Địa chỉ máy chủ không đọc được (tên máy, cổng hoặc ký tự không "
            "đúng). " + URL_HELP.format(example=example)
        ) from exc
    if not parsed.host or not parsed.database:
        missing = "tên máy chủ" if not parsed.host else "tên cơ sở dữ liệu"
        raise DatabaseError(
            f"Địa chỉ máy chủ {redact(shown)} thiếu {missing}. " + URL_HELP.format(example=example)
        )
    return normalise_url(text)


def resolve_target(
    db: str | None = None,
    database_url: str | None = None,
    env: Mapping[str, str] | None = None,
    folder: Path | None = None,
) -> Target:
    """Command line first, then the environment, then the saved server, then the SQLite file."""
    env = os.environ if env is None else env
    if database_url is not None:
        return _with_keyring(check_server_url(database_url), "--database-url")
    if db:
        if "://" in db and not db.startswith("sqlite:///"):
            return _with_keyring(check_server_url(db), "--db")
        if "://" in db:
            return Target(db, "--db")
        return Target(str(Path(db).expanduser()), "--db")
    if env.get(URL_ENV, "").strip():
        return _with_keyring(check_server_url(env[URL_ENV]), URL_ENV)
    if env.get(DB_ENV, "").strip():
        return Target(str(default_db_path()), DB_ENV)
    saved = load_server_config(folder)
    if saved is not None:
        password = stored_password(saved) if saved.remember_password else None
        return Target(saved.url(password), "saved", saved, needs_password=password is None)
    return Target(str(default_db_path()), "default")


def _with_keyring(url: str, source: str) -> Target:
    """A server URL without a password takes the remembered one, if any."""
    if not is_server_url(url):
        return Target(url, source)
    try:
        server, password = ServerConfig.from_url(url)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(
            f"Địa chỉ cơ sở dữ liệu không hợp lệ: {redact(url)}. "
            "Dạng đúng: postgresql://người_dùng@máy_chủ:5432/tên_csdl"
        ) from exc
    if password is None:
        remembered = stored_password(server)
        if remembered is not None:
            return Target(server.url(remembered), source, server)
    return Target(url, source, server)


# --- testing a connection ----------------------------------------------------------------------


def describe_connection_error(exc: BaseException, url: str) -> str:
    """A Vietnamese sentence saying what went wrong and what to do."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = detail[0] if detail else ""
    low = first.lower()
    try:
        parsed = make_url(url)
        where = f"{parsed.host}:{parsed.port or DEFAULT_PORT}"
        dbname = parsed.database or ""
        user = parsed.username or ""
    except (ArgumentError, ValueError):
        where, dbname, user = url, "", ""
    if isinstance(exc, (ModuleNotFoundError, NoSuchModuleError)):
        return (
            "Chương trình thiếu thư viện kết nối PostgreSQL (psycopg). Hãy cài lại bản đầy đủ "
            "của Sổ theo dõi."
        )
    if "password authentication failed" in low or "no password supplied" in low:
        return (
            f'Sai tên đăng nhập hoặc mật khẩu của người dùng "{user}" trên máy chủ {where}. '
            "Hãy nhập lại mật khẩu (hỏi người quản trị máy chủ nếu cần)."
        )
    if "does not exist" in low and "database" in low:
        return (
            f'Máy chủ {where} chưa có cơ sở dữ liệu "{dbname}". Hãy tạo cơ sở dữ liệu theo '
            "hướng dẫn docs/may-chu-postgresql.md rồi thử lại."
        )
    if "role" in low and "does not exist" in low:
        return (
            f'Máy chủ {where} không có người dùng "{user}". Hãy tạo người dùng theo hướng '
            "dẫn docs/may-chu-postgresql.md rồi thử lại."
        )
    if "no pg_hba.conf entry" in low:
        return (
            f"Máy chủ {where} chưa cho phép máy này kết nối (pg_hba.conf). Hãy thêm dòng cho "
            "mạng nội bộ theo hướng dẫn docs/may-chu-postgresql.md."
        )
    if any(
        w in low
        for w in (
            "connection refused",
            "timeout",
            "timed out",
            "could not connect",
            "could not translate host",
            "name or service not known",
            "no route to host",
            "connection failed",
        )
    ):
        return (
            f"Không kết nối được tới máy chủ {where}. Hãy kiểm tra: máy chủ đang bật và "
            "PostgreSQL đang chạy; địa chỉ và cổng đúng; tường lửa trên máy chủ đã mở cổng "
            f"{where.rsplit(':', 1)[-1]} cho mạng nội bộ. Chi tiết: {first}"
        )
    return f"Không kết nối được tới cơ sở dữ liệu {redact(url)}. Chi tiết: {first}"


def check_connection(url: str, *, timeout: int = 5) -> str:
    """Connect, ask the server's version, disconnect. Returns a Vietnamese sentence; raises
    DatabaseError with what to do. Touches nothing."""
    url = normalise_url(url)
    try:
        engine = create_engine(
            url,
            poolclass=NullPool,
            connect_args={"connect_timeout": timeout} if is_server_url(url) else {},
        )
    except (ArgumentError, NoSuchModuleError, ModuleNotFoundError) as exc:
        raise DatabaseError(describe_connection_error(exc, url)) from exc
    try:
        with engine.connect() as conn:
            version = (
                conn.execute(text("SHOW server_version")).scalar()
                if is_server_url(url)
                else conn.execute(text("select sqlite_version()")).scalar()
            )
            tables = (
                conn.execute(
                    text(
                        "SELECT count(*) FROM information_schema.tables "
                        "WHERE table_schema = current_schema() AND table_name = 'alembic_version'"
                    )
                ).scalar()
                if is_server_url(url)
                else 0
            )
    except (DBAPIError, OSError) as exc:
        raise DatabaseError(describe_connection_error(exc, url)) from exc
    finally:
        engine.dispose()
    state = (
        "đã có dữ liệu của Sổ theo dõi"
        if tables
        else "cơ sở dữ liệu còn trống (chương trình sẽ tạo bảng khi mở)"
    )
    return f"Kết nối thành công tới {redact(url)} (PostgreSQL {version}); {state}."
