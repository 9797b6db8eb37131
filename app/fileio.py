"""Writing files safely: a temporary name in the same folder, fsync, then rename.

A crash or a full disk never leaves a half-written file that looks whole, and the file that was
there before stays untouched until the new one is complete.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.errors import AppError

__all__ = ["atomic_write", "disk_error", "fsync_dir"]


def disk_error(exc: OSError, path: Path | str) -> AppError:
    """A clear Vietnamese message for an operating-system error while writing ``path``."""
    if exc.errno == errno.ENOSPC:
        return AppError(
            f"Ổ đĩa đã đầy, không ghi được tệp {path}. Tệp cũ (nếu có) vẫn giữ nguyên. "
            "Hãy giải phóng dung lượng hoặc chọn ổ đĩa khác rồi thử lại.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return AppError(
            f"Không có quyền ghi tệp {path}. Hãy chọn thư mục khác, hoặc đóng chương trình "
            "đang mở tệp này (ví dụ Excel) rồi thử lại.")
    return AppError(f"Không ghi được tệp {path}: {exc.strerror or exc}. Hãy thử lại hoặc chọn "
                    "nơi lưu khác.")


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(str(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(path: Path | str, *, fsync: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    Write the file at the yielded path (open it yourself, or hand it to a library). On any error
    the temporary file is removed and ``path`` is left as it was; an ``OSError`` (full disk, no
    permission) becomes an :class:`AppError` with a Vietnamese message.
    """
    target = Path(path)
    folder = target.resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise disk_error(exc, target) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        if fsync:
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise disk_error(exc, target) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if fsync:
        fsync_dir(folder)
