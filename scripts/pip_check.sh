#!/usr/bin/env bash
# `pip install .` from what a clean clone holds, into a fresh virtual environment (no system site-packages), installs
# only the package, and `import scratchnn; scratchnn.__version__` works there. Offline and quick: the wheel is built
# with the project's own setuptools (--no-build-isolation) and installed with --no-deps (torch & co. are checked as
# declared requirements, not downloaded again).
set -euo pipefail
cd "$(dirname "$0")/.."; root=$PWD
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/src"
# the working tree as a clone would have it: tracked and new files, nothing that git ignores (.venv, _proc, build...)
git ls-files -co --exclude-standard -z | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$tmp/src"
.venv/bin/python -m pip wheel -q --no-deps --no-build-isolation -w "$tmp/dist" "$tmp/src" 2>&1 | grep -v 'WARNING: Location' || true
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --no-deps --no-index "$tmp"/dist/*.whl 2>&1 | grep -v 'WARNING: Location' || true
cd "$tmp"
"$tmp/venv/bin/python" - <<'PY'
import importlib.metadata as md, re, sys
try: import tomllib
except ImportError: tomllib = None   # Python 3.10: skip the requirements comparison
import scratchnn
files = md.files('scratchnn')
tops = {f.parts[0] for f in files if f.parts[0] != '..'}   # '..' are the bin/ scripts, none expected
extra = tops - {'scratchnn', f'scratchnn-{scratchnn.__version__}.dist-info'}
assert not extra, f"pip install . put more than the package into site-packages: {sorted(extra)}"
assert not any(f.parts[0] == '..' for f in files), "pip install . installed files outside site-packages"
assert (md.version('scratchnn') == scratchnn.__version__), "installed version differs from scratchnn.__version__"
want = got = set()
if tomllib:
  want = {re.split(r'[<>=!~ ;\[]', d)[0].lower() for d in tomllib.load(open('src/pyproject.toml', 'rb'))['project']['dependencies']}
  got = {re.split(r'[<>=!~ ;\[]', r)[0].lower() for r in md.requires('scratchnn') or [] if 'extra ==' not in r}
assert want == got, f"the wheel requires {sorted(got)}, pyproject.toml says {sorted(want)}"
print(f"pip install .: scratchnn {scratchnn.__version__}, {len(files)} files, only {sorted(tops)}; requires {', '.join(sorted(got))}")
PY
# The installed package works: its dependencies (torch & co.) come from the project's .venv, added as a plain path
# after the fresh venv's own site-packages, so `scratchnn` itself is the wheel just installed, not the editable copy.
deps=$("$root/.venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
site=$("$tmp/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$deps" > "$site/_project_deps.pth"
"$tmp/venv/bin/python" - "$site" <<'PY'
import sys, torch
import scratchnn
from scratchnn.broadcasting import matmul_einsum
import scratchnn.fast.matmul, scratchnn.fast.conv, scratchnn.fast.step   # Part II is in the wheel too
assert scratchnn.__file__.startswith(sys.argv[1]), f"imported {scratchnn.__file__}, not the installed wheel"
assert scratchnn.fast.conv.__file__.startswith(sys.argv[1]), f"imported {scratchnn.fast.conv.__file__}"
a, b = torch.ones(2, 3), torch.ones(3, 4)
assert torch.equal(matmul_einsum(a, b), a @ b)
print(f"installed wheel works: from scratchnn.broadcasting import matmul_einsum; scratchnn.fast imports ({scratchnn.__file__})")
PY
