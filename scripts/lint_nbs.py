"""Checks on the notebooks that nbdev does not make. Fails (exit 1) on:
- a code cell that mixes imports with other code: nbdev's docs processing runs every cell that imports something
  (so that `show_doc` can see the names) without the cells before it, so the other code then fails or runs twice;
- a Part I module (the notebooks of the sidebar's "Part I" section) that mentions Numba or `scratchnn.fast`: Part II
  imports Part I, never the reverse, and the foundations need no compiler;
- a Part I chapter with more than 2,500 words of prose (markdown cells) outside its Questions section;
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

def prose_words(nb):
    "Words in the markdown cells before the `## Questions` heading"
    n = 0
    for c in nb.cells:
        if c.cell_type != 'markdown': continue
        src, questions = c.source, re.search(r'^## Questions', c.source, re.M)
        n += len((src[:questions.start()] if questions else src).split())
        if questions: break
    return n

def module_of(nb):
    "The module a notebook exports to (`#| default_exp`), as a path, or None"
    for c in nb.cells:
        if c.cell_type == 'code' and (m := re.search(r'^#\|\s*default_exp\s+(\S+)', c.source, re.M)):
            return get_config().lib_path/(m[1].replace('.', '/') + '.py')

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
        if p.name in part1:
            if (n := prose_words(nb)) > MAX_WORDS: bad.append(f"{p.name}: {n} words of prose outside Questions, more than {MAX_WORDS}")
            mod = module_of(nb)
            if mod and mod.exists() and (m := re.search(r'numba|scratchnn\.fast', mod.read_text(), re.I)):
                bad.append(f"{p.name}: its module {mod.name} mentions {m[0]!r}: Part I imports nothing from Numba or Part II")
    for f in get_config().lib_path.rglob('*.py'):
        if f.name != '_modidx.py' and (m := PROCESS_WORDS.search(f.read_text())): bad.append(f"{f}: {m[0]!r} in the package")
    return bad

if __name__ == '__main__':
    if '--words' in sys.argv:
        for p in map(Path, sorted(nbglob())): print(f"{p.name}: {prose_words(nbformat.read(p, as_version=4))} words of prose outside Questions")
    bad = problems()
    for b in bad: print(f"FAIL: {b}")
    sys.exit(bool(bad))
