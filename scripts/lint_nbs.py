"""Fail on notebook cells that mix imports with other code. nbdev's docs processing runs every cell that imports
something (so that `show_doc` can see the names), without the cells before it: the other code in such a cell then
fails, or runs twice. Keep imports in their own cells."""
import ast, sys
import nbformat
from nbdev.doclinks import nbglob

def mixed_cells(path):
    "Ids of code cells in the notebook at `path` whose top-level statements mix imports with other code"
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != 'code': continue
        src = '\n'.join(l for l in cell.source.splitlines() if not l.lstrip().startswith(('#|', '%', '!')) and '= %' not in l)
        try: body = ast.parse(src).body
        except SyntaxError: continue
        imports = sum(isinstance(s, (ast.Import, ast.ImportFrom)) for s in body)
        if 0 < imports < len(body): yield cell.get('id'), cell.source.splitlines()[0]

if __name__ == '__main__':
    bad = [(p, i, first) for p in nbglob() for i, first in mixed_cells(p)]
    for p, i, first in bad: print(f"FAIL: {p} cell {i} ({first!r}) mixes imports with other code: split it")
    sys.exit(bool(bad))
