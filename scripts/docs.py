"""Build the docs site into `_docs/` with Sphinx, MyST-NB and sphinx-book-theme, from the notebooks as committed
(executed, with their outputs; nothing is re-executed). This file is only the glue between two tools:

1. nbdev's own processing (what `nbdev-proc-nbs` does, less its attempt to install Quarto) writes `_proc/`: the
   notebooks with the show_doc API sections added, exported code hidden, `#|` options and front matter for Quarto.
   The cells it drops as internal (`#| exporti`: a kernel module's code, kept out of `__all__`) are put back, as code.
2. Staging (`_stage/src/`) turns what Quarto would interpret into what MyST-NB reads: the front matter into the page's
   title and description, `#|` options into MyST-NB cell tags (`hide` and `include: false` drop a cell,
   `echo: false` removes its input, `code-fold` folds it, `output: false` drops its outputs), `output: asis`
   Markdown (show_doc's API sections) into Markdown cells whose headings carry nbdev's anchors, Pandoc's `{...}`
   attributes and `:::` divs into HTML, links to notebooks and to the published site into links between pages.
   Pages keep nbdev's names (`02_init.ipynb` is `init.html`), so `_modidx.py`'s links stay valid. The sidebar is
   `nbs/sidebar.yml` (its sections become the captions of hidden toctrees on the home page), so a notebook added
   there appears with no change here.
3. `sphinx-build` with `scripts/docs_conf/conf.py`. Then every chapter's notebook, as in nbs/, is put where the
   theme's download button and the page's own link fetch it (`_sources/`, `nbs/`).

`python scripts/docs.py` builds the site; `--out DIR` changes the output folder."""
import json, os, re, shutil, subprocess, sys, html
from pathlib import Path
import yaml, nbformat
from bs4 import BeautifulSoup, NavigableString
from nbdev.config import get_config
from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
from nbdev.serve import proc_nbs
from sidebar import sidebar_groups

CONF = Path(__file__).resolve().parent/'docs_conf'

def front_matter(nb):
    "Pop nbdev's front matter (a raw `---` YAML cell) from `nb` and return it as a dict"
    for i, c in enumerate(nb.cells):
        if c.cell_type == 'raw' and c.source.lstrip().startswith('---'):
            nb.cells.pop(i)
            return yaml.safe_load(c.source.strip().strip('-')) or {}
    return {}

_DIRECTIVE = re.compile(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')

def cell_options(src):
    "The `#|` options of a code cell as a dict, and its source without them"
    opts, lines = {}, src.splitlines()
    while lines and (m := _DIRECTIVE.match(lines[0])):
        opts[m[1]] = m[2] or True
        lines.pop(0)
    return opts, '\n'.join(l for l in lines if not _DIRECTIVE.match(l)).strip('\n')

def _false(v): return str(v).strip().lower() == 'false'

def _attrs(spec):
    "A Pandoc attribute spec `#id .cls key=val` as HTML attributes"
    out, classes = [], []
    for tok in re.findall(r'[\w-]+="[^"]*"|[\w-]+=\S+|[#.][\w-]+', spec):
        if tok[0] == '#': out.append(f'id="{tok[1:]}"')
        elif tok[0] == '.': classes.append(tok[1:])
        else:
            k, v = tok.split('=', 1)
            out.append(f'{k}="{html.escape(v.strip(chr(34)))}"')
    if classes: out.append(f'class="{" ".join(classes)}"')
    return ' '.join(out)

_LINK_ATTR = re.compile(r'\[([^\]\n]*)\]\(([^)\s]+)\)\{([^}\n]*)\}')
_SPAN_ATTR = re.compile(r'\[([^\]\n]*)\]\{([^}\n]*)\}')
_DIV = re.compile(r'^(:{3,})\s*(\{[^}]*\}|[\w-]+)?\s*$', re.M)
_HEADING_ID = re.compile(r'^(#{1,6} .*?)\s*\{#([\w-]+)[^}]*\}\s*$', re.M)
_LINK = re.compile(r'(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)')
_API_HEADING = re.compile(r'^(#{2,4}) (\S+)\s*$', re.M)

class Links:
    "Links to notebooks (`02_init.ipynb#x`) or to the published site (`https://…/init.html#x`) as links between pages"
    def __init__(self, pages, site_url): self.pages, self.site_url = pages, site_url
    def target(self, href, nb_name):
        if self.site_url and href.startswith(self.site_url + '/'): href = href[len(self.site_url) + 1:]
        path, _, frag = href.partition('#')
        if re.match(r'\w+:', path): return None
        if path.endswith('.ipynb'):
            path = os.path.normpath(os.path.join(os.path.dirname(nb_name), path))
            if path not in self.pages: return None
            path = self.pages[path]
        elif not (path.endswith('.html') and path in self.pages.values()): return None
        return path + (f'#{frag}' if frag else '')
    def __call__(self, md, nb_name):
        def sub(m):
            t = self.target(m[2], nb_name)
            return m[0] if t is None else f'<a class="reference internal" href="{t}">{m[1]}</a>'
        return _LINK.sub(sub, md)

def clean_markdown(md, links, nb_name, api=False):
    "Quarto's Markdown as MyST: Pandoc attributes and divs as HTML, `{#id}` headings as labels, links between pages"
    md = _LINK_ATTR.sub(lambda m: f'<a href="{m[2]}" {_attrs(m[3])}>{html.escape(m[1])}</a>', md)
    md = _SPAN_ATTR.sub(lambda m: f'<span {_attrs(m[2])}>{m[1]}</span>', md)
    def div(m):
        if not m[2]: return '\n</div>\n'
        spec = m[2].strip('{}')
        return f'\n<div {_attrs(spec if spec.startswith(("#", ".")) else "." + spec)}>\n'
    md = _DIV.sub(div, md)
    md = _HEADING_ID.sub(lambda m: f'({m[2]})=\n{m[1]}', md)
    if api:   # show_doc's headings: the anchor nbdev's `_modidx` links to (the name, lower case)
        md = _API_HEADING.sub(lambda m: f'<a id="{html.escape(m[2].lower())}"></a>\n\n{m[1]} {m[2]}', md)
        md = re.sub(r'^---\s*$', '', md, flags=re.M)
    return links(md, nb_name)

def show_internal(nb, src):
    "Put back into the processed `nb` the code cells of `src` (the notebook in nbs/) that nbdev drops as `#| exporti`"
    at, prev, extra = {c.get('id'): i for i, c in enumerate(nb.cells)}, None, []
    for c in src.cells:
        if c.cell_type == 'code' and re.match(r'#\|\s*exporti\b', c.source) and not re.search(r'^#\|\s*hide\b', c.source, re.M):
            code = re.sub(r'^#\|.*\n', '', c.source, flags=re.M)
            if not re.fullmatch(r'((import|from) .*\n?|\s+.*\n?)+', code): extra.append((prev, nbformat.v4.new_code_cell(code)))
        elif c.get('id') in at: prev = c.get('id')
    for prev, cell in reversed(extra): nb.cells.insert(at[prev] + 1 if prev in at else 0, cell)
    return nb

def stage_nb(nb, name, fm, links):
    "A processed notebook as MyST-NB renders it"
    cells = []
    title, desc = fm.get('title', Path(name).stem), fm.get('description', '')
    head = f'# {title}\n'
    if desc: head += f'\n{{.description}}\n{links(desc, name)}\n'
    if name != 'index.ipynb':
        head += (f'\n{{.run-it}}\nRun it yourself: download <a class="notebook-link" href="nbs/{name}" download>'
                 f'{name}</a> and open it with Jupyter where the package is installed '
                 '(<a href="index.html#install">Install</a>), or, in a clone, in the project\'s `.venv` '
                 '(`source scripts/env.sh && jupyter lab`); `scripts/build` runs every notebook.\n')
    cells.append(nbformat.v4.new_markdown_cell(head))
    for c in nb.cells:
        for k in set(c) - {'id', 'cell_type', 'metadata', 'source', 'outputs', 'execution_count', 'attachments'}: del c[k]
        c.metadata = {}
        if c.cell_type == 'markdown':
            if c.source.startswith('<!-- WARNING'): continue
            c.source = clean_markdown(c.source, links, name)
        elif c.cell_type == 'code':
            opts, c.source = cell_options(c.source)
            if _false(opts.get('include', True)) or 'hide' in opts: continue
            if _false(opts.get('output', True)): c.outputs = []
            if opts.get('output') == 'asis':   # show_doc: its Markdown is part of the page
                mds = [''.join(o['data']['text/markdown']) for o in c.outputs if 'text/markdown' in o.get('data', {})]
                cells += [nbformat.v4.new_markdown_cell(clean_markdown(md, links, name, api=True)) for md in mds]
                continue
            tags = []
            if _false(opts.get('echo', True)) or not c.source.strip(): tags.append('remove-input')
            elif str(opts.get('code-fold', '')).lower() == 'true': tags.append('hide-input')
            for o in c.get('outputs', []):
                if 'text/markdown' in o.get('data', {}):
                    o.data['text/markdown'] = clean_markdown(''.join(o.data['text/markdown']), links, name)
            if 'remove-input' in tags and not c.outputs: continue
            if tags: c.metadata['tags'] = tags
        cells.append(c)
    nb.cells = cells
    nb.metadata = {'kernelspec': {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'},
                   'language_info': {'name': 'python'}}
    return nb

def toctrees(groups, pages):
    "The sidebar: one hidden toctree a section of nbs/sidebar.yml"
    out = []
    for title, names in groups:
        docs = [Path(pages[n]).stem for n in names if n != 'index.ipynb']
        if docs: out.append('```{toctree}\n:hidden:\n' + (f':caption: {title}\n' if title else '') + '\n'.join(docs) + '\n```')
    return nbformat.v4.new_markdown_cell('\n\n'.join(out))

def unlink_missing_symbols(out, hrefs):
    "nbdev links every backticked name in `_modidx`, private helpers too, which get no API section: unlink those"
    soups = {h: BeautifulSoup((out/h).read_text(), 'html.parser') for h in hrefs}
    ids = {h: {t['id'] for t in soup.find_all(id=True)} for h, soup in soups.items()}
    for h, soup in soups.items():
        changed = False
        for a in soup.find_all('a', href=True):
            path, _, frag = a['href'].partition('#')
            target = path or h
            code = [c for c in a.contents if not (isinstance(c, NavigableString) and not c.strip())]
            if frag and target in ids and frag not in ids[target] and len(code) == 1 and code[0].name == 'code':
                a.replace_with(code[0]); changed = True
        if changed: (out/h).write_text(str(soup))

def build(out='_docs'):
    cfg = get_config()
    os.chdir(cfg.config_path)
    refresh_quarto_yml()                 # nbs/nbdev.yml from pyproject.toml, as nbdev-docs does
    nbdev_sidebar.__wrapped__()          # nbs/sidebar.yml, unless pyproject.toml sets custom_sidebar (ours does)
    proc_nbs(n_workers=2)
    groups = sidebar_groups()
    site = (yaml.safe_load((cfg.nbs_path/'nbdev.yml').read_text()) or {}).get('website', {})
    proc, root, out = cfg.config_path/'_proc', cfg.config_path/'_stage', Path(out).resolve()
    stage = root/'src'   # Sphinx's build folder is _stage/html: MyST-NB writes its jupyter_execute/ beside it
    names = [n for _, ns in groups for n in ns]
    nbs = {n: nbformat.read(proc/n, as_version=4) for n in names}
    fms = {n: front_matter(nb) for n, nb in nbs.items()}
    pages = {n: 'index.html' if n == 'index.ipynb' else (fms[n].get('output-file') or Path(n).with_suffix('.html').name)
             for n in names}
    links = Links(pages, site.get('site-url', '').rstrip('/'))
    shutil.rmtree(root, ignore_errors=True); stage.mkdir(parents=True)
    for n in names:
        nb = stage_nb(show_internal(nbs[n], nbformat.read(cfg.nbs_path/n, as_version=4)), n, fms[n], links)
        if n == 'index.ipynb': nb.cells.append(toctrees(groups, pages))
        nbformat.write(nb, stage/Path(pages[n]).with_suffix('.ipynb'))
    (stage/'pages.json').write_text(json.dumps({Path(h).stem: n for n, h in pages.items()}))
    cmd = [sys.executable, '-m', 'sphinx', '-b', 'html', '-q', '-j', '2', '-c', str(CONF), '-d', str(root/'doctrees'),
           str(stage), str(root/'html'), '-D', f"html_title={site.get('title', cfg.lib_name)}"]
    if subprocess.run(cmd).returncode: sys.exit("docs: sphinx-build failed")
    shutil.rmtree(out, ignore_errors=True); shutil.move(root/'html', out)
    unlink_missing_symbols(out, list(pages.values()))
    for n, h in pages.items():   # each notebook as in nbs/: the theme's download button, and each chapter page's link
        shutil.copy(cfg.nbs_path/n, out/'_sources'/Path(h).with_suffix('.ipynb'))
        if n == 'index.ipynb': continue
        (out/'nbs'/n).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(cfg.nbs_path/n, out/'nbs'/n)
    (out/'.nojekyll').touch()
    print(f"== docs: {len(pages)} pages in {out.name}/ ({', '.join(pages.values())}); their notebooks in {out.name}/nbs/")

if __name__ == '__main__':
    build(sys.argv[sys.argv.index('--out') + 1] if '--out' in sys.argv else '_docs')
