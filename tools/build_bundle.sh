#!/usr/bin/env bash
# Build the one-folder bundle dist/sotheodoi/ with PyInstaller (build.spec) and check it with
# its own --self-test. Idempotent: every run replaces dist/sotheodoi/ with a fresh build.
#   tools/build_bundle.sh            build, self-test, print the size
#   SOTHEODOI_PYTHON=/path/python tools/build_bundle.sh   use another interpreter
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${SOTHEODOI_VENV:-.venv}"
PY="${SOTHEODOI_PYTHON:-$VENV/bin/python}"

say() { printf '\033[1m[build]\033[0m %s\n' "$*" >&2; }

if [ ! -x "$PY" ] && [ -f scripts/setup.sh ]; then
  # creates the project venv with the dev tools (PyInstaller), at the versions of
  # constraints.txt: the bundle is built from the libraries the tests ran with
  bash scripts/setup.sh test
fi
if ! "$PY" -c 'import PyInstaller' >/dev/null 2>&1; then
  say "PyInstaller chưa được cài trong $PY; cài: $PY -m pip install -c constraints.txt -e '.[dev]'"
  exit 1
fi
if [ "$(uname -s)" = Linux ] && ! { command -v as && command -v ld; } >/dev/null 2>&1; then
  # build.spec rebuilds Qt's ICU data library (tools/trim_icu.py) with binutils' as and ld.
  say "Cần binutils (as, ld) để dựng thư viện dữ liệu ICU: sudo apt-get install binutils"
  exit 1
fi
if [ ! -f resources/icons/sotheodoi.ico ] || [ ! -f resources/icons/sotheodoi.png ]; then
  "$PY" tools/make_icon.py
fi

say "PyInstaller $("$PY" -m PyInstaller --version) với $("$PY" --version)"
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --workpath build/pyinstaller --distpath dist build.spec

if command -v ldd >/dev/null 2>&1; then
  # build.spec prunes unused Qt parts: make sure no kept library lost a Qt dependency.
  broken=$(find dist/sotheodoi -name '*.so*' -type f -exec sh -c \
    'ldd "$1" 2>/dev/null | grep -E "lib(Qt6|pyside6|shiboken6)[^ ]* => not found" \
     | sed "s|^|$1: |"' _ {} \; | sort -u)
  if [ -n "$broken" ]; then
    say "Thiếu thư viện Qt trong gói:"; printf '%s\n' "$broken" >&2; exit 1
  fi
fi

EXE=dist/sotheodoi/sotheodoi
[ -f "$EXE.exe" ] && EXE="$EXE.exe"
say "Tự kiểm tra: $EXE --self-test"
QT_QPA_PLATFORM=offscreen "$EXE" --self-test
bytes=$(du -sb dist/sotheodoi | cut -f1)
say "Kích thước: $(du -sh dist/sotheodoi | cut -f1) ($bytes byte, dist/sotheodoi)"
if [ "$bytes" -gt 120000000 ]; then
  say "CẢNH BÁO: gói vượt ngân sách 120 MB (xem docs/performance.md, mục Bundle)."
fi
