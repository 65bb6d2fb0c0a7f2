"""Run the code cells of the Part I chapters (nbs/0*.ipynb) and the data and answers appendices in order, as a
reader would in Jupyter, skipping `#| slow` cells and `#| eval: false` exercise stubs; exit 1 at the first failure.
`scripts/pip_check.sh` runs it in a fresh virtual environment that has only the installed package, its declared
dependencies and a Python kernel (execnb driving IPython), so that a chapter importing a test tool fails here.
Usage: python run_chapters.py NBS_DIR SITE_PACKAGES (the installed package must come from SITE_PACKAGES)."""
import json, os, re, sys, time
from pathlib import Path
from execnb.shell import CaptureShell

SKIP = re.compile(r'^#\|\s*(slow|eval:\s*false)\b', re.M)

def run(nb_path):
    "Run one notebook's code cells in a fresh shell, from its folder; raise on the first cell that fails"
    cells = [''.join(c['source']) for c in json.loads(nb_path.read_text())['cells'] if c['cell_type'] == 'code']
    os.chdir(nb_path.parent)
    shell = CaptureShell()
    for i, src in enumerate(cells):
        if SKIP.search(src): continue
        shell.run(src)
        if shell.exc: raise RuntimeError(f"{nb_path.name}, code cell {i}: {type(shell.exc).__name__}: {shell.exc}")

if __name__ == '__main__':
    nbs, site = Path(sys.argv[1]), sys.argv[2]
    import scratchnn
    assert scratchnn.__file__.startswith(site), f"imported {scratchnn.__file__}, not the installed package"
    names = sorted(p.name for p in nbs.glob('0*.ipynb')) + ['90_data.ipynb', '94_answers.ipynb']
    for name in names:
        t = time.time()
        try: run(nbs/name)
        except Exception as e: sys.exit(f"FAIL: {e}")
        print(f"  {name}: ran ({time.time() - t:.0f} s)")
