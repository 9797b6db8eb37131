"""``python -m app`` / ``sotheodoi``: no command opens the window; a command runs headless."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

GUI_FLAGS = {"--self-test"}
HELP_FLAGS = {"-h", "--help", "--version"}


def _wants_window(argv: Sequence[str]) -> tuple[bool, argparse.ArgumentParser | None]:
    """No sub-command (only global options such as --db): open the window. Decided silently:
    the command line prints its help or its argument errors itself, once. The parser built
    here is handed on to the command, not built a second time."""
    if any(a in HELP_FLAGS for a in argv):
        return False, None
    if _only_global_options(argv):  # the window, without building the commands' parser
        return True, None
    from app.cli import build_parser

    parser = build_parser()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            args, _rest = parser.parse_known_args([a for a in argv if a not in GUI_FLAGS])
    except SystemExit:
        return False, parser
    return not getattr(args, "command", None), parser


WINDOW_OPTIONS = ("--db", "--database-url")


def _only_global_options(argv: Sequence[str]) -> bool:
    """Nothing but ``--db FILE``, ``--database-url URL`` (or ``--db=FILE``) and --self-test:
    the common way the window is opened, told apart without the command parser."""
    rest = [a for a in argv if a not in GUI_FLAGS]
    while rest:
        if rest[0].startswith(tuple(f"{o}=" for o in WINDOW_OPTIONS)):
            rest = rest[1:]
        elif rest[0] in WINDOW_OPTIONS and len(rest) > 1 and not rest[1].startswith("-"):
            rest = rest[2:]
        else:
            return False
    return True


def _quiet_closed_pipe() -> int:
    """The reader of our output went away (``sotheodoi units --json | head -1``): stop quietly.
    Standard output is pointed at the null device so that the interpreter's final flush does
    not print "Exception ignored … BrokenPipeError"."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from app.startup import pause_collector, resume_collector

    pause_collector()  # until the start-up's imports are done (the window, or the command)
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    finally:
        resume_collector()  # --help, --version, a usage error: ended before any import


def _main(argv: list[str]) -> int:
    window, parser = _wants_window(argv)
    if window:
        from ui.app import run_gui  # Qt only here

        return run_gui(argv)
    from app.cli import run

    try:
        code = run(argv, parser=parser)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
    except BrokenPipeError:  # output piped into `head` and the like
        return _quiet_closed_pipe()
    return code


if __name__ == "__main__":
    sys.exit(main())
