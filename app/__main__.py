"""``python -m app`` / ``sotheodoi``: no command opens the window; a command runs headless."""

from __future__ import annotations

import sys
from collections.abc import Sequence

GUI_FLAGS = {"--self-test"}


def _wants_window(argv: Sequence[str]) -> bool:
    """No sub-command (only global options such as --db): open the window."""
    from app.cli import build_parser

    parser = build_parser()
    try:
        args, _rest = parser.parse_known_args([a for a in argv if a not in GUI_FLAGS])
    except SystemExit:
        return False
    return not getattr(args, "command", None) and not any(
        a in ("-h", "--help", "--version") for a in argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _wants_window(argv):
        from ui.app import run_gui  # Qt only here

        return run_gui(argv)
    from app.cli import run

    try:
        return run(argv)
    except BrokenPipeError:  # output piped into `head` and the like
        return 0


if __name__ == "__main__":
    sys.exit(main())
