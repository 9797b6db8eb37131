#!/usr/bin/env bash
# Prepare this checkout: system libraries Qt needs, a virtual environment, the program installed
# in it. Idempotent: a second run only checks. Used by run.sh and test.sh.
#   scripts/setup.sh [run|test]
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-run}"
VENV="${SOTHEODOI_VENV:-.venv}"

say() { printf '\033[1m[sotheodoi]\033[0m %s\n' "$*" >&2; }

# --- system packages (Debian/Ubuntu) ------------------------------------------------------------
RUN_PKGS="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6
  fonts-liberation2"
TEST_PKGS="poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui binutils postgresql
  tesseract-ocr tesseract-ocr-vie"
if command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  wanted="$RUN_PKGS"
  [ "$MODE" = test ] && wanted="$wanted $TEST_PKGS"
  missing=""
  for pkg in $wanted; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    missing="$missing python3-venv"
  fi
  if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    say "Cài gói hệ thống còn thiếu:$missing"
    $SUDO apt-get update -qq || true
    # Install one by one so a package missing on this release does not block the others.
    for pkg in $missing; do
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$pkg" \
        >/dev/null 2>&1 || say "Không cài được gói $pkg (bỏ qua)."
    done
  fi
fi

# --- Python -------------------------------------------------------------------------------------
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c \
        'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      PY="$candidate"; break
    fi
  done
fi
if [ -z "$PY" ]; then
  say "Cần Python 3.11 trở lên (chưa tìm thấy). Hãy cài python3 (>= 3.11) rồi chạy lại."
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  say "Tạo môi trường ảo $VENV bằng $($PY --version)"
  "$PY" -m venv "$VENV"
fi
extras="dev"
stamp="$VENV/.installed-$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  say "Cài đặt chương trình và thư viện vào $VENV (lần đầu mất vài phút)…"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  # the exact versions the program is tested with: a bundle built later is built the same
  "$VENV/bin/python" -m pip install -q -c constraints.txt -e ".[$extras]"
  touch "$stamp"
fi
