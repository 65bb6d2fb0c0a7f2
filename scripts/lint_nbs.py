"""Checks on the notebooks that neither nbdev nor a lint tool makes: each is about nbdev's docs processing, the book's
prose or the shape of its lessons, which no linter knows of; ruff's banned imports are one list for the whole project,
taken by Numba and Part II, so the ban on the tools that `pip install .` leaves out stays here. (scripts/test also runs
ruff on the notebooks, the scripts and the package: unused imports, undefined names and the like, and an import of
Numba or `scratchnn.fast` in any cell, exported or not, of a Part I, appendix or Part I proofs notebook; and
lint-imports on the package: no Part I or appendix module imports them, even through another module. See [tool.ruff]
and [tool.importlinter] in pyproject.toml.) Fails (exit 1) on:
- a code cell that mixes imports with other code: nbdev's docs processing runs every cell that imports something
  (so that `show_doc` can see the names) without the cells before it, so the other code then fails or runs twice;
- a Part I chapter that is not a lesson: more than 2,500 words of prose outside its Questions section, a
  `check_like_torch` table or a hypothesis suite outside its "Going further" section (they belong in its tests
  notebook, nbs/tests/), more than five cells with `test_fail`, an import of a tool that `pip install .` does not
  install (hypothesis, selenium, nbdev), fewer than three exercises, or an exercise whose check is not shown rejecting
  a wrong answer in the testing appendix and passing a model answer in the answers appendix;
- a figure in the prose of any notebook (a number with ×, %, µs, ms or GFLOP/s) that no cell above it printed, unless
  its sentence names the source it quotes (fastbook, the fast.ai course);
- a cell that is never run (`#| eval: false`, an exercise to fill in) that shows outputs, which can only be stale;
- words about how the book was made instead of its subject (the book speaks to its reader).
`python scripts/lint_nbs.py --words` also prints each chapter's prose word count."""
import ast, re, sys
from pathlib import Path
import nbformat
from nbdev.config import get_config
from sidebar import sidebar_groups
from nbdev.doclinks import nbglob

MAX_WORDS = 2500
PROCESS_WORDS = re.compile(r"\bseeds?'|\bthe seeds\b|\bthe lead\b|\bthe goal (of|was)\b|while writing this|this issue|"
                           r"the issue asks", re.I)

def mixed_cells(nb):
    "Ids of code cells whose top-level statements mix imports with other code"
    for cell in nb.cells:
        if cell.cell_type != 'code': continue
        src = '\n'.join(l for l in cell.source.splitlines() if not l.lstrip().startswith(('#|', '%', '!')) and '= %' not in l)
        try: body = ast.parse(src).body
        except SyntaxError: continue
        imports = sum(isinstance(s, (ast.Import, ast.ImportFrom)) for s in body)
        if 0 < imports < len(body): yield cell.get('id'), cell.source.splitlines()[0]

def sections(nb):
    "(the `## ` heading a cell is under, or '', cell) for every cell"
    head = ''
    for c in nb.cells:
        if c.cell_type == 'markdown' and (m := re.search(r'^## (.+)$', c.source, re.M)): head = m[1].strip()
        yield head, c

def prose_words(nb):
    "Words in the markdown cells outside the `## Questions` section"
    return sum(len(c.source.split()) for h, c in sections(nb) if c.cell_type == 'markdown' and not h.startswith('Questions'))

DEV_ONLY = re.compile(r'^\s*(?:from|import)\s+(hypothesis|selenium|nbdev)\b', re.M)
FIGURE = re.compile(r'(?<![\w.,×])(\d[\d,]*(?:\.\d+)?)\s?(×(?!\w)(?!\s\d)|%|µs|ms|GFLOP/s)') # not 28×28, 5 × 10
QUOTED = re.compile(r'fastbook|fast\.ai|the course|a learner', re.I)

def outputs_text(c):
    "Everything a code cell printed or displayed, as text"
    out = []
    for o in c.get('outputs', []):
        out.append(o.get('text', ''))
        for k, v in o.get('data', {}).items():
            if k.startswith('text/'): out.append(v if isinstance(v, str) else ''.join(v))
    return '\n'.join(out)

def unprinted_figures(nb):
    "Figures in the prose that no code cell above printed (sentences that name a quoted source are skipped)"
    printed = ''
    for c in nb.cells:
        if c.cell_type == 'code': printed += outputs_text(c); continue
        for sentence in re.split(r'(?<=[.!?])\s+', c.source):
            if QUOTED.search(sentence): continue
            for num, unit in FIGURE.findall(sentence):
                if num not in printed: yield f"{num}{unit}"

def lesson_problems(name, nb):
    "Why a Part I chapter is not a lesson: tables, hypothesis, refusals, dev-only imports, exercises"
    bad, fails, checks = [], 0, []
    for head, c in sections(nb):
        if c.cell_type != 'code': continue
        if not head.startswith('Going further') and re.search(r'check_like_torch\(|@given', c.source):
            bad.append(f"{name}: a table or hypothesis suite in the lesson (section {head!r}): move it to its tests notebook")
        fails += 'test_fail(' in c.source
        if (m := DEV_ONLY.search(c.source)): bad.append(f"{name}: imports {m[1]}, which `pip install .` does not install")
        if re.search(r'^#\|\s*eval:\s*false', c.source, re.M): checks += re.findall(r'^(check_\w+)\(', c.source, re.M)
    if fails > 5: bad.append(f"{name}: {fails} cells with test_fail, more than a handful (5): refusals belong in its tests notebook")
    if len(checks) < 3: bad.append(f"{name}: {len(checks)} exercises with a check, fewer than 3")
    nbs = get_config().nbs_path
    code = lambda f: '\n'.join(c.source for c in nbformat.read(nbs/f, as_version=4).cells if c.cell_type == 'code')
    testing, answers = code('93_testing.ipynb'), code('94_answers.ipynb')
    for chk in checks:
        if f"test_fail(lambda: {chk}(" not in testing: bad.append(f"{name}: {chk} is not shown rejecting a wrong answer in 93_testing")
        if not re.search(rf'^{chk}\(', answers, re.M): bad.append(f"{name}: {chk} is not run on a model answer in 94_answers")
    return bad

def part_one():
    "Names of the notebooks in the sidebar's Part I section"
    return [n for title, names in sidebar_groups() if (title or '').startswith('Part I:') for n in names]

def problems():
    bad, part1 = [], part_one()
    if not part1: bad.append("sidebar.yml has no 'Part I:' section")
    for p in map(Path, nbglob()):
        nb = nbformat.read(p, as_version=4)
        for i, first in mixed_cells(nb): bad.append(f"{p.name} cell {i} ({first!r}) mixes imports with other code: split it")
        for c in nb.cells:
            if (m := PROCESS_WORDS.search(c.source)): bad.append(f"{p.name}: {m[0]!r}: speak of the subject, not of how the book was made")
        for fig in unprinted_figures(nb): bad.append(f"{p.name}: the figure {fig!r} in the prose is printed by no cell above it")
        for c in nb.cells:
            if c.cell_type == 'code' and c.get('outputs') and re.search(r'^#\|\s*eval:\s*false', c.source, re.M):
                bad.append(f"{p.name}: a cell that is never run (`#| eval: false`) shows outputs: {c.source.splitlines()[-1][:60]!r}")
        if p.name in part1:
            if (n := prose_words(nb)) > MAX_WORDS: bad.append(f"{p.name}: {n} words of prose outside Questions, more than {MAX_WORDS}")
            bad += lesson_problems(p.name, nb)
    for f in get_config().lib_path.rglob('*.py'):
        if f.name != '_modidx.py' and (m := PROCESS_WORDS.search(f.read_text())): bad.append(f"{f}: {m[0]!r} in the package")
    return bad

if __name__ == '__main__':
    if '--words' in sys.argv:
        for p in map(Path, sorted(nbglob())): print(f"{p.name}: {prose_words(nbformat.read(p, as_version=4))} words of prose outside Questions")
    bad = problems()
    for b in bad: print(f"FAIL: {b}")
    sys.exit(bool(bad))
