"""Every code block in README.md works as written, in order, for a reader who has only a clone.

The python blocks run with pytest-codeblocks (`pytest --codeblocks README.md`), as one program in order (README.md
carries its marks, written by scripts/readme.py), in the fresh virtual environment that README's install commands
made, from an empty folder, so a name that only a hidden cell of nbs/index.ipynb defines fails with a NameError here,
as it would for a reader. What stays here is what no tool checks, README's ```sh blocks, of two kinds:
- install blocks, every command a `pip install ...`: `scripts/pip_check.sh` runs them as written, in the root of a copy
  of the clone, in a fresh virtual environment (`python scripts/readme_blocks.py --install-commands` prints them);
- project commands (`scripts/build`, `scripts/test`): each must be an executable file of the clone (running them here
  would run the test command inside itself).
Anything else in an ```sh block is refused.

`python scripts/readme_blocks.py DIR` runs the python blocks with DIR/venv (made by `scripts/pip_check.sh DIR`, which
also puts pytest and pytest-codeblocks in DIR/pytest, outside that environment's site-packages).
Exits 1 on any failure, naming the block and its line in README.md."""
import os, re, shlex, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r'^```(\w*)\n(.*?)^```\s*$', re.M | re.S)

def blocks(text):
    "[(language, code, line)] of the fenced blocks of a Markdown text"
    return [(m[1], m[2], text.count('\n', 0, m.start()) + 1) for m in FENCE.finditer(text)]

def commands(code):
    "The commands of a shell block: one a line, comments and blank lines dropped"
    return [c for l in code.splitlines() if (c := l.split('#', 1)[0].strip())]

def is_install(cmd):
    words = shlex.split(cmd)
    return words[:2] == ['pip', 'install'] and len(words) > 2

def sh_problems(text):
    "Shell commands of README that are neither installs nor executable files of the clone"
    bad = []
    for lang, code, line in blocks(text):
        if lang not in ('sh', 'bash', 'shell', 'console'): continue
        cmds = commands(code)
        if all(map(is_install, cmds)): continue
        for c in cmds:
            prog = shlex.split(c)[0]
            if is_install(c): bad.append(f"README.md:{line}: {c!r}: an install command in a block with other commands")
            elif not (ROOT/prog).is_file() or not os.access(ROOT/prog, os.X_OK) or '/' not in prog:
                bad.append(f"README.md:{line}: {c!r}: {prog} is not an executable file of the clone")
    return bad

def install_commands(text):
    "README's install commands, in order"
    return [c for lang, code, _ in blocks(text) if lang in ('sh', 'bash', 'shell')
            for c in commands(code) if commands(code) and all(map(is_install, commands(code)))]

def run_python(text, venv):
    "Run README's python blocks with pytest-codeblocks in `venv`, from an empty folder; True when all pass"
    if not any(lang == 'python' for lang, _, _ in blocks(text)): print("FAIL: README.md has no python block"); return False
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp)/'README.md').write_text(text)
        env = {k: v for k, v in os.environ.items() if not k.startswith(('PYTHON', 'VIRTUAL_ENV'))}
        env |= {'MPLBACKEND': 'Agg', 'PYTHONPATH': str(Path(venv).parent/'pytest')}
        r = subprocess.run([Path(venv)/'bin'/'python', '-m', 'pytest', '--codeblocks', '-q', '-p', 'no:cacheprovider',
                            '--rootdir', tmp, 'README.md'], cwd=tmp, env=env, capture_output=True, text=True)
    print('\n'.join('  ' + l for l in r.stdout.strip().splitlines()[-(40 if r.returncode else 1):]))
    return r.returncode == 0

if __name__ == '__main__':
    text = (ROOT/'README.md').read_text()
    if '--install-commands' in sys.argv:
        cmds = install_commands(text)
        if not cmds: sys.exit("FAIL: README.md has no install block (a ```sh block of `pip install` commands)")
        print('\n'.join(cmds)); sys.exit(0)
    if len(sys.argv) != 2: sys.exit(__doc__)
    bad = sh_problems(text)
    for b in bad: print(f"FAIL: {b}")
    venv = Path(sys.argv[1])/'venv'
    if not (venv/'bin'/'python').exists(): sys.exit(f"FAIL: no {venv}: scripts/pip_check.sh {sys.argv[1]} makes it")
    ok = run_python(text, venv)
    progs = sorted({shlex.split(c)[0] for lang, code, _ in blocks(text) if lang in ('sh', 'bash', 'shell', 'console')
                    for c in commands(code) if not is_install(c)})
    if not bad: print(f"README.md: its install commands ({'; '.join(install_commands(text))}) ran in scripts/pip_check.sh; "
                      f"its project commands ({', '.join(progs)}) are executable files of the clone")
    sys.exit(0 if ok and not bad else 1)
