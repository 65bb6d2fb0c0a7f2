#!/usr/bin/env bash
# README's install commands, run as written in the root of a copy of the clone, into a fresh virtual environment (no
# system site-packages), install only the package, with the requirements pyproject.toml declares, and it works there.
# `scripts/pip_check.sh DIR` keeps that environment in DIR/venv, for scripts/readme_blocks.py to run README's python
# blocks in; with no DIR it is removed.
# Offline and quick: the fresh environment sees the package's declared dependencies (torch & co., and theirs) as
# installed, from the project's .venv (a folder of links to exactly those distributions, added by a .pth file), so pip
# finds them satisfied instead of downloading them again; pip runs with no index, and builds the package with the
# project's setuptools instead of downloading it into an isolated build environment.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [ $# -gt 0 ]; then tmp=$(realpath "$1"); mkdir -p "$tmp"; else tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; fi
rm -rf "$tmp/src" "$tmp/venv" "$tmp/deps" "$tmp/build-deps" "$tmp/kernel" "$tmp/pytest" "$tmp/fast"; mkdir "$tmp/src"
# the working tree as a clone would have it: tracked and new files, nothing that git ignores (.venv, _proc, build...)
git ls-files -co --exclude-standard -z | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$tmp/src"
python3 -m venv "$tmp/venv"
site=$("$tmp/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# The declared dependencies and theirs, as links into the project's .venv; setuptools alone, for the build, apart.
.venv/bin/python - "$tmp" <<'PY'
import importlib.metadata as md, sys
from pathlib import Path
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name as canon
tmp = Path(sys.argv[1])
def link(names, dest):
    dest.mkdir()
    for name in names:
        dist = md.distribution(name)
        assert dist.files, f"{name} lists no files: cannot link it"
        for top in sorted({f.parts[0] for f in dist.files} - {'..', '__pycache__'}):
            if not (dest/top).exists() and (src := Path(dist.locate_file(top))).exists(): (dest/top).symlink_to(src)
def closure(reqs):
    "The distributions `reqs` need, and theirs (with the extras that they ask for, such as uvicorn[standard])"
    todo, seen = [(Requirement(r), '') for r in reqs], set()
    while todo:
        req, extra = todo.pop()
        if req.marker and not req.marker.evaluate({'extra': extra}): continue
        for e in [''] + sorted(req.extras):
            if (canon(req.name), e) in seen: continue
            seen.add((canon(req.name), e))
            todo += [(Requirement(r), e) for r in md.requires(req.name) or []]
    return {name for name, _ in seen}
# the package's requirements as .venv's (editable) install of it declares them: pyproject.toml's, as env.sh installs
deps = closure(md.requires('scratchnn') or [])
link(sorted(deps), tmp/'deps')
link(['setuptools'], tmp/'build-deps')
# what a reader adds to run the chapters: a Python kernel (IPython, driven by execnb) and nothing else
link(sorted(closure(['execnb']) - deps), tmp/'kernel')
# what scripts/readme_blocks.py runs README's python blocks with: pytest-codeblocks
link(sorted(closure(['pytest-codeblocks']) - deps), tmp/'pytest')
print(f"fresh venv: {len(deps)} distributions (the package's dependencies and theirs) linked from .venv")
PY
echo "$tmp/deps" > "$site/_scratchnn_deps.pth"
cmds=$(.venv/bin/python scripts/readme_blocks.py --install-commands)
echo "README's install commands, run as written in the root of the clone, in the fresh venv:"
printf '%s\n' "$cmds" | sed 's/^/  $ /'
if ! (cd "$tmp/src" && PATH="$tmp/venv/bin:$PATH" VIRTUAL_ENV="$tmp/venv" PIP_NO_INDEX=1 PIP_NO_BUILD_ISOLATION=0 \
        PYTHONPATH="$tmp/build-deps" bash -euo pipefail -c "$cmds") >"$tmp/install.log" 2>&1; then
  { grep -v -e 'WARNING: Location' -e '^\s*$' "$tmp/install.log" || true; } | sed 's/^/    /'
  echo "FAIL: README's install commands failed in a fresh virtual environment (output above)"; exit 1
fi
{ grep -e 'satisfied: torch in' -e '^Successfully installed' "$tmp/install.log" || true; } | sed 's/^/    /'
cd "$tmp"
"$tmp/venv/bin/python" -I - <<'PY'
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
# The installed package works, with nothing but its dependencies beside it: `scratchnn` is the package just installed.
"$tmp/venv/bin/python" -I - "$site" <<'PY'
import importlib.metadata as md, sys, torch
import scratchnn
from scratchnn.broadcasting import matmul_einsum
from scratchnn.data import get_mnist
assert scratchnn.__file__.startswith(sys.argv[1]), f"imported {scratchnn.__file__}, not the installed package"
a, b = torch.ones(2, 3), torch.ones(3, 4)
assert torch.equal(matmul_einsum(a, b), a @ b)
assert get_mnist()[0].shape == (4000, 784)   # the digits ship in the wheel
heavy = [n for n in ('numba', 'llvmlite', 'pandas', 'scipy', 'scikit-learn', 'mlxtend') if any(True for _ in md.distributions(name=n))]
assert not heavy, f"pip install . installed {heavy}: Part I needs none of them"
try: import scratchnn.fast
except ImportError as e: assert 'pip install ".[fast]"' in str(e), f"the ImportError does not say how to install Numba: {e}"
else: raise AssertionError("scratchnn.fast imports without Numba")
print(f"installed package works: matmul_einsum, get_mnist()'s 5,000 digits; no {', '.join(('numba', 'llvmlite', 'pandas', 'scipy', 'scikit-learn'))}; "
      f"import scratchnn.fast says: pip install \".[fast]\" ({scratchnn.__file__})")
PY
# A reader runs the Part I chapters and the appendix with what README's install puts there, plus a Python kernel: no
# hypothesis, nbdev or other test tool (those are for the tests notebooks). Slow cells and exercise stubs are skipped.
echo "Part I chapters run in the fresh venv (the package, its dependencies and a kernel):"
PYTHONPATH="$tmp/kernel" "$tmp/venv/bin/python" "$tmp/src/scripts/run_chapters.py" "$tmp/src/nbs" "$site"
# Part II: `pip install ".[fast]"` adds Numba (and llvmlite) and pandas (for the chapters' benchmark tables), and then
# scratchnn.fast imports. The dev venv's copies are linked in, since pip here has no index to fetch them from.
"$root/.venv/bin/python" - "$tmp" <<'PY'
import importlib.metadata as md, re, sys
from pathlib import Path
dest = Path(sys.argv[1])/'fast'; dest.mkdir()
def closure(names, seen):
    "The distributions `names` need, with their own requirements (not numpy, already there), each once"
    for n in names:
        if n in seen or n == 'numpy': continue
        seen.add(n)
        closure([re.split(r'[ ;<>=!~\[(]', r)[0] for r in md.distribution(n).requires or [] if 'extra ==' not in r], seen)
    return seen
for name in sorted(closure(['numba', 'pandas'], set())):
    dist = md.distribution(name)
    for top in sorted({f.parts[0] for f in dist.files} - {'..', '__pycache__'}):
        if not (dest/top).exists() and (src := Path(dist.locate_file(top))).exists(): (dest/top).symlink_to(src)
PY
echo "$tmp/fast" > "$site/_scratchnn_fast.pth"
(cd "$tmp/src" && PATH="$tmp/venv/bin:$PATH" PIP_NO_INDEX=1 PIP_NO_BUILD_ISOLATION=0 PYTHONPATH="$tmp/build-deps" \
   "$tmp/venv/bin/python" -m pip install -q '.[fast]' 2>&1 | { grep -v -e 'WARNING: Location' -e '^\s*$' || true; })
"$tmp/venv/bin/python" -I - "$site" <<'PY'
import sys
import pandas, scratchnn.fast.matmul, scratchnn.fast.conv, scratchnn.fast.step
assert scratchnn.fast.conv.__file__.startswith(sys.argv[1]), f"imported {scratchnn.fast.conv.__file__}"
print('pip install ".[fast]": Numba and pandas added, scratchnn.fast.matmul, .conv and .step import')
PY
rm "$site/_scratchnn_fast.pth"
