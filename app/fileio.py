"""Writing files safely: a temp file in the same folder, fsync, then an atomic rename.

Every file the program writes for the user (PDF, Excel, backup) goes through ``atomic_write``: a
power cut, a full disk or an error half-way leaves the previous file as it was and no stray
temp file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from app.errors import AppError

_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_umask() -> int:
    """The process's umask: from /proc on Linux (no change to the process), else by setting
    and restoring it once, at import time."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask() if os.name == "posix" else 0


def normal_permissions(target: Path | str | int) -> None:
    """Give a file made by ``tempfile.mkstemp`` (mode 0600: only this user may read it) the
    mode of any new file, 0666 minus the umask (0644 usually), before it takes its final
    name: a report or a backup may be opened by a colleague or a backup tool."""
    if os.name != "posix":
        return
    mode = 0o666 & ~_UMASK
    with contextlib.suppress(OSError):
        if isinstance(target, int):
            os.fchmod(target, mode)
        else:
            os.chmod(target, mode)


def os_error_message(path: Path, exc: OSError) -> str:
    """A Vietnamese sentence for a failed write: what happened and what to do."""
    if exc.errno in _DISK_FULL:
        return (
            f"Ổ đĩa đã đầy, không ghi được tệp {path}. Tệp cũ (nếu có) vẫn giữ nguyên. "
            "Hãy giải phóng dung lượng ổ đĩa hoặc chọn nơi lưu khác rồi thử lại."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"Không có quyền ghi tệp {path} (tệp chỉ đọc, đang mở trong chương trình khác "
            "hoặc thư mục bị khoá). Hãy đóng tệp đó hoặc chọn nơi lưu khác rồi thử lại."
        )
    if exc.errno == errno.EFBIG:
        return (
            f"Tệp {path} quá lớn so với giới hạn của ổ đĩa (ổ USB định dạng FAT32 chỉ "
            "nhận tệp dưới 4 GB). Tệp cũ (nếu có) vẫn giữ nguyên. Hãy chọn nơi lưu khác "
            "(ổ định dạng NTFS hoặc exFAT) rồi thử lại."
        )
    if exc.errno == errno.EISDIR or (exc.errno == errno.EEXIST and path.is_dir()):
        return (
            f"{path} là một thư mục có sẵn, không ghi tệp đè lên được. Hãy đặt tên tệp "
            '(ví dụ thêm "/bao-cao.pdf" vào cuối) hoặc chọn nơi lưu khác.'
        )
    if exc.errno == errno.ENAMETOOLONG:
        return f"Tên tệp {path.name[:60]}… quá dài. Hãy đặt tên ngắn hơn rồi thử lại."
    if exc.errno == errno.ENOENT:
        return (
            f"Không tìm thấy thư mục để lưu tệp {path}. Hãy chọn một thư mục có sẵn "
            "(ổ USB hoặc ổ mạng có thể đã bị ngắt)."
        )
    return (
        f"Không ghi được tệp {path}: {exc.strerror or exc}. Tệp cũ (nếu có) vẫn giữ "
        "nguyên. Hãy thử lại hoặc chọn nơi lưu khác."
    )


@contextlib.contextmanager
def atomic_write(
    path: Path | str, mode: str = "wb", encoding: str | None = None
) -> Iterator[IO[Any]]:
    """Write ``path`` all or nothing. Yields a file object opened with ``mode``.

    The data goes to a temp file beside ``path``; on success it is flushed, fsync'ed and renamed
    over ``path`` (``os.replace``). On any error the temp file is removed, ``path`` is left
    untouched and the error propagates; an OSError becomes an ``AppError`` with a clear
    Vietnamese message (disk full, no permission, missing folder).
    """
    if "w" not in mode and "x" not in mode:
        raise ValueError("atomic_write needs a write mode such as 'wb' or 'w'")
    target = Path(path)
    folder = target.resolve().parent
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        normal_permissions(fd)
        text_mode = "b" not in mode
        with os.fdopen(
            fd,
            mode.replace("x", "w"),
            encoding=(encoding or "utf-8") if text_mode else None,
            newline="" if text_mode else None,
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
        tmp_name = ""
        _fsync_folder(folder)
    except OSError as exc:
        raise AppError(os_error_message(target, exc)) from exc
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def disk_error(exc: OSError, path: Path | str) -> AppError:
    """The :class:`AppError` for an operating-system error while writing ``path``."""
    return AppError(os_error_message(Path(path), exc))


@contextlib.contextmanager
def atomic_path(path: Path | str, *, fsync: bool = True) -> Iterator[Path]:
    """Like :func:`atomic_write`, for a library that writes a file itself (openpyxl, zipfile):
    yields a temporary path beside ``path`` that replaces it only when complete."""
    target = Path(path)
    folder = target.resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        normal_permissions(fd)
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
    except BaseException as exc:
        system = exc if isinstance(exc, OSError) else library_os_error(exc)
        release_half_written(exc)
        tmp.unlink(missing_ok=True)
        if system is not None:
            raise disk_error(system, target) from exc
        raise
    if fsync:
        _fsync_folder(folder)


def library_os_error(exc: BaseException) -> OSError | None:
    """The operating-system error behind a library's own exception: lxml (used by openpyxl)
    reports a full disk as ``SerialisationError("IO_ENOSPC")``."""
    if type(exc).__name__ == "SerialisationError":
        code = getattr(errno, str(exc).removeprefix("IO_").strip(), None)
        if isinstance(code, int):
            return OSError(code, os.strerror(code))
    return None


def release_half_written(exc: BaseException) -> None:
    """A library that failed half-way through a file (openpyxl's ZipFile, lxml's writer) left
    objects that try to finish writing when they are collected, and Python prints "Exception
    ignored in ZipFile.__del__" with a traceback on the console. Free them now — the frames of
    the failure hold them — and send what they raise to the log instead."""
    import gc
    import logging
    import traceback

    def to_log(unraisable: Any) -> None:
        logging.getLogger(__name__).warning(
            "While cleaning up after a failed write: %r", unraisable.exc_value
        )

    previous = sys.unraisablehook
    sys.unraisablehook = to_log
    try:
        seen: BaseException | None = exc
        for _ in range(10):
            if seen is None:
                break
            traceback.clear_frames(seen.__traceback__)
            seen = seen.__cause__ or seen.__context__
        gc.collect()
    finally:
        sys.unraisablehook = previous


# --- staging folders: work space beside the data, never in the system temp folder -------------

STAGE_PREFIX = ".sotheodoi-tam-"
_STAGE_LOCK = ".dang-dung"


def _lock(handle: IO[Any]) -> bool:
    """Take an exclusive, non-blocking lock on an open file; False when another process holds
    it. The lock goes with the process: a killed process leaves its stage unlocked."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def staging_folder(base: Path, purpose: str) -> Iterator[Path]:
    """A private work folder ``<base>/.sotheodoi-tam-<purpose>-<random>`` (``base`` is the
    data folder), removed afterwards. While in use it holds a locked file, so that
    :func:`remove_stale_stages` (run at start-up) removes only stages whose process died
    (killed, power cut) — never the stage of a program still running, on this PC or another
    one sharing the folder. The lock file is the first thing made and the last removed."""
    try:
        folder, handle = _new_stage(base, purpose)
    except OSError as exc:
        raise disk_error(exc, base / f"{STAGE_PREFIX}{purpose}") from exc
    try:
        yield folder
    finally:
        for entry in list(folder.iterdir()) if folder.is_dir() else []:
            if entry.name != _STAGE_LOCK:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        entry.unlink()
        handle.close()
        shutil.rmtree(folder, ignore_errors=True)


def _new_stage(base: Path, purpose: str) -> tuple[Path, IO[Any]]:
    """Make a stage and lock it. A clean-up running at that very moment may remove the
    still unlocked folder: then try again."""
    base.mkdir(parents=True, exist_ok=True)
    for _attempt in range(5):
        folder = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{purpose}-", dir=base))
        try:
            handle = (folder / _STAGE_LOCK).open("wb")
        except FileNotFoundError:
            continue
        if _lock(handle) and os.fstat(handle.fileno()).st_nlink > 0:
            return folder, handle
        handle.close()
    raise OSError(errno.EAGAIN, "could not make a staging folder", str(base))


def remove_stale_stages(base: Path) -> list[Path]:
    """Delete the staging folders left in ``base`` by a backup or a restore that was killed
    (their lock file is free, or gone: a kill while the stage was made or removed). Never
    raises: start-up must go on."""
    removed: list[Path] = []
    try:
        stages = [p for p in base.iterdir() if p.name.startswith(STAGE_PREFIX) and p.is_dir()]
    except OSError:
        return removed
    for stage in stages:
        lock_file = stage / _STAGE_LOCK
        try:
            with lock_file.open("rb+") as handle:
                if not _lock(handle):
                    continue  # a program is using it
        except FileNotFoundError:
            pass  # being made this instant (its maker tries again) or half removed
        except OSError:
            continue
        shutil.rmtree(stage, ignore_errors=True)
        if not stage.exists():
            removed.append(stage)
    return removed
