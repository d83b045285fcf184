#!/usr/bin/env bash
# Set up everything `make tables` and `make test` need; idempotent.
#   1. .venv/ in the repository root (python3 -m venv), with the package
#      installed editable plus its test extras;
#   2. GAP, unless one is already found (SBS_GAP, `gap` on PATH, or the
#      passagemath-gap wheel in .venv): Debian packages when root and apt-get
#      work, otherwise the passagemath-gap wheel (no root needed).
# A second run finds everything in place and installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
say() { printf 'setup: %s\n' "$*" >&2; }
as_root_with_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
apt_updated=
apt_install() {
    if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. virtual environment --------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
        # Debian's python3 needs python3-venv for ensurepip.
        rm -rf "$VENV"
        if as_root_with_apt; then
            say "installing python3-venv"
            apt_install python3-venv
            "$PYTHON" -m venv "$VENV"
        else
            say "error: '$PYTHON -m venv' failed; install python3-venv"; exit 1
        fi
    fi
fi

stamp="$VENV/.sbs-installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    # torch first, pinned: this version's CPU build comes from the local cache
    # in seconds, while an unpinned resolve may pull multi-GB CUDA builds.
    if ! "$VENV/bin/python" -c 'import torch' >/dev/null 2>&1; then
        say "installing torch (CPU) into $VENV"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check "torch==${SBS_TORCH_VERSION:-2.13.0}"
    fi
    say "installing sbs_gap and its dependencies into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test]"
    rm -f "$VENV"/.sbs-installed-*
    touch "$stamp"
fi

# 2. GAP --------------------------------------------------------------------
have_gap() {
    [ -n "${SBS_GAP:-}" ] && return 0
    command -v gap >/dev/null 2>&1 && return 0
    "$VENV/bin/python" -c 'import sys; from sbs_gap.gap import passagemath_gap_root as r; sys.exit(r() is None)'
}
if ! have_gap; then
    if as_root_with_apt && apt_install gap-core gap-libs gap-smallgrp gap-cryst gap-crystcat; then
        say "installed GAP from Debian packages"
    else
        say "installing GAP from the passagemath-gap wheel into $VENV"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check passagemath-gap
    fi
    have_gap || { say "error: GAP could not be installed"; exit 1; }
fi
