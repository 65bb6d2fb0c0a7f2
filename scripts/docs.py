"""Build the docs site into `_docs/` without Quarto, from the notebooks as they are committed (executed, with outputs).

Two steps, no hand-written pages:
1. nbdev's own processing (what `nbdev-proc-nbs` does, less its attempt to install Quarto): `nbs/nbdev.yml`, and
   processed notebooks in `_proc/` with the show_doc API sections added, `#| hide` and exported code removed, and the
   front matter as a raw YAML cell. The sidebar is the committed `nbs/sidebar.yml` (pyproject.toml sets
   `custom_sidebar`): its sections are the parts of the book, drawn as headings in the sidebar.
2. nbconvert's HTML exporter with the small template in `scripts/docs_template/`, after turning what Quarto would
   interpret (front matter, `#|` cell options, Pandoc `{...}` attributes, `.ipynb` links) into what a browser shows;
   TeX math becomes MathML (latex2mathml), which Chromium and Firefox draw with no script and no network.

3. A search index over page titles, headings, API names and prose, written at build time as `search_index.js` (a
   script that sets a global, so that the search box, `search.js`, works from `file://` as well as from a server, with
   no network), and each chapter's notebook copied to `nbs/`, linked from its page to download and run.

Where Quarto is installed, `nbdev-docs` renders the same notebooks with nbs/_quarto.yml as usual.
`python scripts/docs.py` builds the site; `--out DIR` changes the output folder."""
import os, re, sys, shutil, html, json
from pathlib import Path
import yaml, nbformat
from bs4 import BeautifulSoup, NavigableString, Tag
from latex2mathml.converter import convert as tex2mathml
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbdev.config import get_config
from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
from nbdev.serve import proc_nbs
from sidebar import sidebar_groups

TEMPLATE = Path(__file__).resolve().parent/'docs_template'

# --- nbdev processing --------------------------------------------------------------------------------------------
def process(cfg):
    "nbdev's processing of every notebook in nbs/ into _proc/; returns the sidebar as [(section title or None, names)]"
    refresh_quarto_yml()                 # nbs/nbdev.yml from pyproject.toml, as nbdev-docs does
    nbdev_sidebar.__wrapped__()          # nbs/sidebar.yml, unless pyproject.toml sets custom_sidebar (ours does)
    proc_nbs(n_workers=2)
    return sidebar_groups()

# --- what Quarto would interpret --------------------------------------------------------------------------------
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

def clean_markdown(md):
    "Markdown with Pandoc's `{...}` attributes and `:::` divs turned into plain HTML (heading ids are done later)"
    md = _LINK_ATTR.sub(lambda m: f'<a href="{m[2]}" {_attrs(m[3])}>{html.escape(m[1])}</a>', md)
    md = _SPAN_ATTR.sub(lambda m: f'<span {_attrs(m[2])}>{m[1]}</span>', md)
    def div(m):
        if not m[2]: return '\n</div>\n'
        spec = m[2].strip('{}')
        return f'\n<div {_attrs(spec if spec.startswith(("#", ".")) else "." + spec)}>\n'
    return _DIV.sub(div, md)

def prepare(nb):
    "Apply Quarto's cell options and clean every markdown cell and markdown output of a processed notebook"
    cells = []
    for c in nb.cells:
        for k in set(c) - {'id', 'cell_type', 'metadata', 'source', 'outputs', 'execution_count', 'attachments'}:
            del c[k]          # nbdev's own bookkeeping (e.g. `has_sd`), not part of the notebook format
        c.metadata.pop('execution', None)   # show_doc timings, in a shape nbformat does not accept
        if c.cell_type == 'markdown': c.source = clean_markdown(c.source)
        elif c.cell_type == 'code':
            opts, c.source = cell_options(c.source)
            if _false(opts.get('include', True)) or 'hide' in opts: continue
            if _false(opts.get('echo', True)) or not c.source.strip():
                c.metadata.setdefault('transient', {})['remove_source'] = True
            elif str(opts.get('code-fold', '')).lower() == 'true': # as Quarto: the code behind a "Code" toggle
                cells.append(nbformat.v4.new_markdown_cell(f'<details class="code-fold"><summary>Code</summary>\n\n'
                                                           f'```python\n{c.source}\n```\n\n</details>'))
                c.metadata.setdefault('transient', {})['remove_source'] = True
            if _false(opts.get('output', True)): c.outputs = []
            for o in c.get('outputs', []):
                if 'text/markdown' in o.get('data', {}): o.data['text/markdown'] = clean_markdown(o.data['text/markdown'])
            if c.metadata.get('transient', {}).get('remove_source') and not c.get('outputs'): continue
        cells.append(c)
    nb.cells = cells
    return nb

# --- after rendering --------------------------------------------------------------------------------------------
def pandoc_id(text):
    "The identifier Pandoc (and so Quarto) gives a heading"
    s = re.sub(r'[^\w\s.-]', '', text.strip().lower(), flags=re.UNICODE)
    s = re.sub(r'\s+', '-', s)
    s = re.sub(r'^[^a-z]+', '', s)
    return s or 'section'

_MATH = re.compile(r'\$\$(.+?)\$\$|\$(?=\S)([^$\n]+?)(?<=\S)\$(?!\d)', re.S)

def render_math(soup, page):
    "TeX between `$...$` / `$$...$$` in prose (nbconvert leaves it as text for MathJax) as MathML: no script, no network"
    for node in list(soup.find_all(string=_MATH)):
        if node.find_parent(['pre', 'code', 'script', 'style', 'math']) or not isinstance(node, NavigableString): continue
        parts, pos = [], 0
        for m in _MATH.finditer(node):
            tex, block = (m[1], True) if m[1] is not None else (m[2], False)
            try: mathml = tex2mathml(tex.strip(), display='block' if block else 'inline')
            except Exception as e:
                print(f"docs: {page}: left as TeX text, not converted to MathML ({type(e).__name__}): {tex[:60]}")
                continue
            math = BeautifulSoup(mathml, 'html.parser')
            if math.math is not None: math.math['alttext'] = tex.strip()   # MathML's own text alternative; search uses it
            parts += [str(node)[pos:m.start()], math]
            pos = m.end()
        if not parts: continue
        parts.append(str(node)[pos:])
        for part in parts: node.insert_before(part if not isinstance(part, str) else NavigableString(part))
        node.extract()

def finish(page_html, links, site_url, page='', name=''):
    "Heading ids as Quarto makes them (`{#id}` honoured), links to notebooks (relative to `name`, the page's notebook) or the published site made local, a TOC"
    soup = BeautifulSoup(page_html, 'html.parser')
    main = soup.find(id='quarto-document-content')
    seen = {t['id'] for t in soup.find_all(id=True) if t.name not in ('h1', 'h2', 'h3', 'h4', 'h5', 'h6')}
    toc = []
    for h in main.find_all(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']):
        if 'title' in (h.get('class') or []): continue
        for a in h.find_all('a', class_='anchor-link'): a.decompose()
        last = h.find_all(string=True)[-1] if h.find_all(string=True) else None
        m = re.search(r'\s*\{([^}]*)\}\s*$', str(last)) if last else None
        hid, extra = None, ''
        if m:
            last.replace_with(str(last)[:m.start()])
            spec = m[1]
            if (mid := re.search(r'#([\w-]+)', spec)): hid = mid[1]
            extra = ' '.join(c[1:] for c in re.findall(r'\.[\w-]+', spec))
        text = h.get_text().strip()
        if not hid:
            hid = base = pandoc_id(text); n = 1
            while hid in seen: hid = f'{base}-{n}'; n += 1
        seen.add(hid)
        h['id'] = hid
        if extra: h['class'] = (h.get('class') or []) + extra.split()
        h.append(soup.new_tag('a', attrs={'class': 'anchor-link', 'href': f'#{hid}', 'aria-label': 'link to this section'}))
        h.find('a', class_='anchor-link').string = '#'
        if h.name in ('h2', 'h3'): toc.append((h.name, hid, text))
    for a in soup.find_all('a', href=True):
        href = a['href']
        if site_url and href.startswith(site_url): href = href[len(site_url):].lstrip('/') or 'index.html'
        path, _, frag = href.partition('#')
        if path and not re.match(r'\w+:', path): path = os.path.normpath(os.path.join(os.path.dirname(name), path))
        if path in links: href = links[path] + (f'#{frag}' if frag else '')
        a['href'] = href
    render_math(main, page)
    nav = soup.find(id='TOC')
    if nav is not None and toc:
        ul = soup.new_tag('ul')
        for level, hid, text in toc:
            li = soup.new_tag('li', attrs={'class': f'toc-{level}'})
            a = soup.new_tag('a', href=f'#{hid}'); a.string = text
            li.append(a); ul.append(li)
        nav.append(ul)
    elif nav is not None: nav.decompose()
    return str(soup)

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

# --- search -----------------------------------------------------------------------------------------------------
HEADINGS = ('h1', 'h2', 'h3', 'h4', 'h5', 'h6')
_SKIP = {'pre', 'script', 'style', 'math', 'button'}

_TEX_SYMBOLS = dict(alpha='α', beta='β', gamma='γ', delta='δ', epsilon='ε', varepsilon='ε', eta='η', theta='θ',
                   lambda_='λ', mu='μ', pi='π', rho='ρ', sigma='σ', tau='τ', phi='φ', Sigma='Σ', sum='Σ', prod='Π',
                   partial='∂', nabla='∇', times='×', cdot='·', cdots='⋯', ldots='…', dots='…', approx='≈', le='≤',
                   leq='≤', ge='≥', geq='≥', ne='≠', neq='≠', infty='∞', to='→', rightarrow='→', top='⊤', pm='±',
                   sqrt='√', int='∫', log='log', exp='exp', max='max', min='min')

def tex_text(tex):
    "TeX as plain text for the search index: `\\sqrt{2/n}` as √(2/n), `\\sigma` as σ, `x_{in}` as x_in"
    t = re.sub(r'\\(?:(?:left|right|big|Big|quad|qquad|displaystyle)(?![A-Za-z])|[,;:! ])', ' ', tex)
    for _ in range(5):   # innermost braces first
        t = re.sub(r'\\(?:text|mathrm|mathbf|mathit|operatorname|textrm|mathcal)\{([^{}]*)\}', r'\1', t)
        t = re.sub(r'\\frac\{([^{}]*)\}\{([^{}]*)\}', r'(\1)/(\2)', t)
        t = re.sub(r'\\sqrt\{([^{}]*)\}', r'√(\1)', t)
        t = re.sub(r'([_^])\{([^{}]*)\}', r'\1\2', t)
    t = re.sub(r'\\([A-Za-z]+)', lambda m: _TEX_SYMBOLS.get(m[1], _TEX_SYMBOLS.get(m[1] + '_', m[1])), t)
    t = t.replace('{', '').replace('}', '')
    t = re.sub(r'(√|/)\(([\w.]+)\)', r'\1\2', re.sub(r'\(([\w.]+)\)(?=/)', r'\1', t))   # (2)/(n) as 2/n, √(x) as √x
    return ' '.join(t.split())

def search_entries(page_html, href, title, description):
    """A page's search entries: the page itself (its title, description and the prose before its first heading), then
    one for each heading with an id, `k` 'api' for the API sections that show_doc writes, 'section' otherwise, each
    with the prose under it, math as plain text (`tex_text`), code and printed output (all in `pre`) left out.
    The keys are short because the index ships with the site."""
    main = BeautifulSoup(page_html, 'html.parser').find(id='quarto-document-content')
    page = dict(p=href, a='', t=title, h=title, k='page', x=[re.sub(r'[`*]', '', description), ' '])
    entries, cur = [page], page
    def skipped(node):
        for parent in node.parents:
            if parent is main: return False
            if parent.name in _SKIP or parent.name in HEADINGS or parent.get('id') == 'title-block-header': return True
        return True
    for node in main.descendants:
        if isinstance(node, Tag):
            if node.name in HEADINGS and node.get('id') and 'title' not in (node.get('class') or []):
                text = ''.join(s for s in node.find_all(string=True) if not s.find_parent('a', class_='anchor-link'))
                api = node.find_parent(class_='jp-OutputArea-output') is not None
                cur = dict(p=href, a=node['id'], t=title, h=' '.join(text.split()), k='api' if api else 'section', x=[])
                entries.append(cur)
            elif node.name == 'math' and node.get('alttext') and not skipped(node):
                cur['x'].append(f" {tex_text(node['alttext'])} ")
        elif (type(node) is NavigableString and node.strip() and not skipped(node)
              and not (node.strip() == 'source' and node.parent.name == 'a')):   # show_doc's link to the code
            cur['x'].append(str(node))
    for e in entries: e['x'] = re.sub(r'\s+([,.;:!?)\]])', r'\1', ' '.join(''.join(e['x']).split()))
    return entries

def write_search(out, pages):
    "The search index of every page, as `search_index.js`, and the search box's script"
    entries = [e for p in pages for e in search_entries((out/p['href']).read_text(), p['href'], p['title'],
                                                        p['fm'].get('description', ''))]
    (out/'search_index.js').write_text('// The docs site\'s search index, written by scripts/docs.py\n'
                                       f'window.SCRATCHNN_SEARCH = {json.dumps(entries, ensure_ascii=False)};\n')
    shutil.copy(TEMPLATE/'search.js', out/'search.js')
    return entries

def build(out='_docs'):
    cfg = get_config()
    os.chdir(cfg.config_path)
    groups = process(cfg)
    names = [n for _, ns in groups for n in ns]
    site = (yaml.safe_load((cfg.nbs_path/'nbdev.yml').read_text()) or {}).get('website', {})
    site_url = site.get('site-url', '').rstrip('/')
    proc, out = cfg.config_path/'_proc', Path(out)
    shutil.rmtree(out, ignore_errors=True); out.mkdir(parents=True)
    pages = []
    for name in names:
        nb = nbformat.read(proc/name, as_version=4)
        fm = front_matter(nb)
        dest = fm.get('output-file') or Path(name).with_suffix('.html').name
        pages.append(dict(name=name, nb=nb, fm=fm, href=dest, title=fm.get('title', Path(name).stem)))
    links = {p['name']: p['href'] for p in pages}
    links.update({'./' + k: v for k, v in list(links.items())})
    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATE.parent)], template_name=TEMPLATE.name,
                            exclude_input_prompt=True, exclude_output_prompt=True, anchor_link_text='#')
    by_name = {p['name']: p for p in pages}
    for p in pages:
        nav = [dict(title=title, items=[dict(href=by_name[n]['href'], title=by_name[n]['title'], current=by_name[n] is p)
                                        for n in ns]) for title, ns in groups]
        desc = markdown2html_mistune(p['fm'].get('description', ''))   # Quarto renders it as Markdown too
        p['fm']['description_html'] = re.sub(r'^<p>|</p>\s*$', '', desc.strip())
        notebook = f"nbs/{p['name']}" if p['name'] != 'index.ipynb' else None   # each chapter, to download and run
        res = {'metadata': {'name': p['title']},
               'site': dict(title=site.get('title', cfg.lib_name), description=site.get('description', ''),
                            repo_url=site.get('repo-url', ''), nav=nav, page=p['fm'], notebook=notebook,
                            notebook_name=p['name'])}
        body, _ = exporter.from_notebook_node(prepare(p['nb']), resources=res)
        (out/p['href']).write_text(finish(body, links, site_url, p['href'], p['name']))
    unlink_missing_symbols(out, [p['href'] for p in pages])
    for f in ['styles.css']:
        if (proc/f).exists(): shutil.copy(proc/f, out/f)
    shutil.copy(TEMPLATE/'site.css', out/'site.css')
    for p in pages:
        if p['name'] != 'index.ipynb':
            (out/'nbs'/p['name']).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(cfg.nbs_path/p['name'], out/'nbs'/p['name'])
    entries = write_search(out, pages)
    print(f"== docs: {len(pages)} pages in {out}/ ({', '.join(p['href'] for p in pages)}); their notebooks in {out}/nbs/; "
          f"search index of {len(entries)} entries ({(out/'search_index.js').stat().st_size // 1024} KiB)")

if __name__ == '__main__':
    build(sys.argv[sys.argv.index('--out') + 1] if '--out' in sys.argv else '_docs')
