"""Check the built docs site (`_docs/`, Sphinx with sphinx-book-theme) in headless Chromium, as a reader would see it.

From the home page it follows the sidebar to every page, in order, and on each asserts: the title and description
from the notebook's front matter, the sidebar's sections (the parts of the book) and its links to every page in
order, an API section (a heading with the symbol's anchor) for every name in the `__all__` of
the modules the notebook exports to (not `#| exporti` code, shown as code), no `#|` directive, front matter line or Pandoc `{...}` attribute text anywhere in the
page, no `$$` TeX left as text, every image loaded and at least as many images as the notebook has image outputs;
that every page has the search box, and that every chapter page (not the home page) links to its notebook, served
by the site as the very file in nbs/, with a line on how to run it, and has the theme's download button (the same
notebook) and launch buttons (Colab, Binder) that open that notebook of the repository; then that every link inside
the site points to an existing page and anchor. Last, the search (Sphinx's own index), from the home page as a
reader would use it: typing `kaiming` into the box lists the initialisation chapter's section on Kaiming
initialisation, and following that result lands on it; the same search works from `file://` (the site opened from
disk). A screenshot of each page goes to
`_docs/_screenshots/`, and one of the search (`search.png`).

Prints `browser: N pages passed, M failed` (or a line saying it skipped, when Chromium or chromedriver is missing)
and exits 1 on any failure. Uses Debian's `chromium` and `chromium-driver` (`.ci/run` installs them)."""
import importlib, os, re, sys, shutil, threading, functools, urllib.request, yaml
from pathlib import Path
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler
from urllib.parse import urlsplit, unquote
import nbformat
from nbdev.config import get_config, nbpath2html
from nbdev.doclinks import nbglob
from sidebar import sidebar_groups

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT/'_docs'
SHOTS = DOCS/'_screenshots'
FRONT_MATTER = re.compile(r'^(---|(title|description|output-file|author|date|categories)\s*:\s.*)$', re.M)
PANDOC_ATTR = re.compile(r'\{[#.][\w-]+[^}]*\}|\{\s*[\w-]+="')

def expected_pages():
    "Every notebook in nbs/, index first then by name, with its page, front matter, API anchors and image count"
    nbs = sorted(nbglob(func=Path), key=lambda p: (p.name != 'index.ipynb', str(p)))
    modidx = __import__(f"{get_config().lib_name}._modidx", fromlist=['d']).d['syms']
    api = {}
    for mod, syms in modidx.items():
        public = set(importlib.import_module(mod).__all__)
        for sym, (url, _) in syms.items():
            name = sym[len(mod) + 1:]
            if name not in public: continue   # methods, private helpers and `#| exporti` code get no show_doc
            page, anchor = url.split('#')
            api.setdefault(page, []).append((name, anchor))
    pages = []
    for p in nbs:
        proc = nbformat.read(ROOT/'_proc'/p.relative_to(get_config().nbs_path), as_version=4)
        fm = next((yaml.safe_load(c.source.strip().strip('-')) for c in proc.cells
                   if c.cell_type == 'raw' and c.source.startswith('---')), {}) or {}
        href = fm.get('output-file') or nbpath2html(p).name
        imgs = sum(any(k.startswith('image/') for k in o.get('data', {})) for c in proc.cells
                   if c.cell_type == 'code' for o in c.get('outputs', []))
        pages.append(dict(nb=str(p.relative_to(get_config().nbs_path)), href=href, title=fm.get('title', p.stem), description=fm.get('description'),
                          api=api.get(href, []), images=imgs))
    return pages

def serve(folder):
    handler = functools.partial(type('Quiet', (SimpleHTTPRequestHandler,), {'log_message': lambda *a: None}),
                                directory=str(folder))
    server = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server

def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
              '--disable-dev-shm-usage', '--window-size=1400,1000']: opts.add_argument(a)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)

JS_PAGE = """
const clone = document.querySelector('article').cloneNode(true);
clone.querySelectorAll('pre, code, script, style, math').forEach(e => e.remove());
const here = location.pathname.split('/').pop();
const text = h => h.innerText.replace(/\\s*#\\s*$/, '').trim();
return {
  title: document.title, text: document.querySelector('article').innerText, prose: clone.textContent,
  h1: text(document.querySelector('article h1') || {innerText: ''}),
  description: (document.querySelector('p.description') || {}).innerText || '',
  nav: [...document.querySelectorAll('nav.bd-links a.reference')].map(a => a.getAttribute('href') === '#' ? here : a.getAttribute('href')),
  sections: [...document.querySelectorAll('nav.bd-links p.caption')].map(e => e.innerText.trim()),
  ids: [...document.querySelectorAll('[id]')].map(e => e.id).concat([...document.querySelectorAll('a[name]')].map(a => a.name)),
  headings: Object.fromEntries([...document.querySelectorAll('article section[id] > :is(h1,h2,h3,h4)')].map(h => [h.parentElement.id, text(h)])
      .concat([...document.querySelectorAll('article a[id] + :is(h1,h2,h3,h4)')].map(h => [h.previousElementSibling.id, text(h)]))),
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  images: [...document.querySelectorAll('article img')].map(i => [i.complete && i.naturalWidth > 0, (i.getAttribute('src') || '').slice(0, 60)]),
  h2: [...document.querySelectorAll('article section[id] > h2')].map(h => [h.parentElement.id, text(h)]),
  search_box: !!document.querySelector('form.bd-search input[name=q]') && !!document.querySelector('.search-button-field'),
  notebook: [...document.querySelectorAll('a.notebook-link')].map(a => a.getAttribute('href')),
  download: [...document.querySelectorAll('.dropdown-download-buttons a')].map(a => a.getAttribute('href')).filter(h => h.endsWith('.ipynb')),
  launch: [...document.querySelectorAll('.dropdown-launch-buttons a')].map(a => [a.innerText.trim(), a.getAttribute('href')]),
  run_it: (document.querySelector('p.run-it') || {}).innerText || '',
  height: document.documentElement.scrollHeight,
};"""

def check_page(page, info, pages, base=None):
    "Problems on one page, as a list of strings"
    bad = []
    if not info['search_box']: bad.append("no search box")
    if page['nb'] == 'index.ipynb':
        if info['notebook']: bad.append(f"the home page links to a notebook to run: {info['notebook']}")
    elif (launch := dict(info['launch'])).keys() != {'Colab', 'Binder'} or not all(u.endswith(f"nbs/{page['nb']}") for u in launch.values()):
        bad.append(f"launch buttons {info['launch']} do not open nbs/{page['nb']} on Colab and Binder")
    elif len(info['download']) != 1 or (base and urllib.request.urlopen(base + info['download'][0]).read() != (ROOT/'nbs'/page['nb']).read_bytes()):
        bad.append(f"the download button's notebook {info['download']} is not nbs/{page['nb']}")
    elif info['notebook'] != [f"nbs/{page['nb']}"]:
        bad.append(f"links to notebooks {info['notebook']}, not to its own, nbs/{page['nb']}")
    else:
        if not all(w in info['run_it'] for w in ('scripts/build', '.venv', 'Jupyter', page['nb'])):
            bad.append(f"the line on running the notebook is {info['run_it']!r}")
        if base:
            served = urllib.request.urlopen(base + info['notebook'][0]).read()
            if served != (ROOT/'nbs'/page['nb']).read_bytes(): bad.append(f"the site's {info['notebook'][0]} is not nbs/{page['nb']}")
    if page['title'] not in info['title']: bad.append(f"<title> is {info['title']!r}, not the notebook's title")
    if info['h1'].strip() != page['title']: bad.append(f"page heading is {info['h1']!r}, not {page['title']!r}")
    if page['description'] and info['description'].strip() != re.sub(r'[`*]', '', page['description']).strip():
        bad.append(f"description {info['description']!r} is not the front matter's")
    if info['nav'] != [p['href'] for p in pages]: bad.append(f"sidebar links {info['nav']} are not every page in order")
    if [s.lower() for s in info['sections']] != [s.lower() for s in SECTIONS]:
        bad.append(f"sidebar sections {info['sections']} are not {SECTIONS}")
    for name, anchor in page['api']:
        # nbdev anchors `lin` and `Lin` both as #lin, so the section is found by its heading, the anchor by its id
        titles = {re.sub(r'\s*#\s*$', '', t).strip() for t in info['headings'].values()}
        if name not in titles or anchor not in info['ids']: bad.append(f"no API section (#{anchor}) for {name}")
    if '#|' in info['text']: bad.append("a `#|` directive is visible: " + info['text'][info['text'].index('#|'):][:60])
    if (m := FRONT_MATTER.search(info['text'])): bad.append(f"a front matter line is visible: {m[0]!r}")
    if (m := PANDOC_ATTR.search(info['prose'])): bad.append(f"Pandoc attribute text is visible: {m[0]!r}")
    if '$$' in info['prose'] or '\\frac' in info['prose']: bad.append("TeX math left as text: it should be MathML")
    if (broken := [src for ok, src in info['images'] if not ok]): bad.append(f"images not loaded: {broken}")
    if len(info['images']) < page['images']:
        bad.append(f"{len(info['images'])} images shown, the notebook has {page['images']} image outputs")
    return bad

def search(driver, query):
    "Type `query` into the search box of the page open in `driver` and press Enter; the results listed, as [(href, text)]"
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    driver.find_element('css selector', '.bd-sidebar-primary .search-button-field').click()
    box = driver.find_element('css selector', '#pst-search-dialog input[name=q]')
    box.clear(); box.send_keys(query + Keys.ENTER)
    sel = '#search-results ul.search li a'
    try: WebDriverWait(driver, 10).until(lambda d: d.find_elements('css selector', sel))
    except Exception: return []
    return [(a.get_attribute('href'), a.find_element('xpath', './..').text) for a in driver.find_elements('css selector', sel)]

def check_search(driver, base, pages, seen, query='kaiming'):
    "Search from the home page for `query`: the initialisation chapter's section on it is listed and following it lands there"
    from selenium.webdriver.support.ui import WebDriverWait
    init = next((p for p in pages if p['nb'] == '02_init.ipynb'), None)
    if init is None or init['href'] not in seen: return ["no page for 02_init.ipynb to search"]
    # Sphinx lists a section when the query is most of its title: the API sections (kaiming_std...) of the chapter's
    # section on Kaiming initialisation, or that section itself
    anchors = [hid for hid, text in seen[init['href']]['headings'].items() if query in text.lower()]
    if not anchors: return [f"the initialisation chapter has no section whose heading says {query!r}"]
    want = [base + init['href'] + '#' + a for a in anchors]
    driver.get(base + 'index.html')
    results = search(driver, query)
    hit = next((i for i, (href, _) in enumerate(results) if href in want), None)
    if hit is None: return [f"typing {query!r} lists {[h for h, _ in results]}, not {want}"]
    driver.save_screenshot(str(SHOTS/'search.png'))
    label = ' | '.join(results[hit][1].splitlines()[:2])
    driver.find_elements('css selector', '#search-results ul.search li a')[hit].click()
    try: WebDriverWait(driver, 5).until(lambda d: d.current_url == results[hit][0])
    except Exception: return [f"following the result went to {driver.current_url}, not {results[hit][0]}"]
    anchor = results[hit][0].split('#', 1)[1]
    top = driver.execute_script(f"const h = document.getElementById({anchor!r}); return h && h.getBoundingClientRect().top")
    if top is None or not 0 <= top <= 200: return [f"after following the result, #{anchor} is at {top} px from the top, not in view"]
    bad = []
    driver.get((DOCS/'index.html').resolve().as_uri())   # the site opened from disk, as README says: no server
    if not any(h.endswith(init['href'] + '#' + a) for h, _ in search(driver, query) for a in anchors):
        bad.append(f"typing {query!r} into the search box of the site opened from disk (file://) lists no section {init['href']}#{anchors}")
    print(f"search: typing {query!r} lists {len(results)} results; result {hit + 1} is {label!r}, and following it lands "
          f"on {init['href']}#{anchor}" + ('' if bad else "; the same from file://"))
    return bad

def main():
    global SECTIONS
    pages, SECTIONS = expected_pages(), [title for title, _ in sidebar_groups() if title]
    shutil.rmtree(SHOTS, ignore_errors=True); SHOTS.mkdir(parents=True)
    server, driver = serve(DOCS), browser()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    problems, seen = {}, {}
    try:
        driver.get(base + 'index.html')
        for page in pages:
            if driver.current_url.split('#')[0] != base + page['href']:   # follow the sidebar, as a reader would
                links = driver.find_elements('css selector', f'nav.bd-links a[href="{page["href"]}"]')
                if not links: problems[page['href']] = ["no sidebar link to this page"]; continue
                links[0].click()
            info = driver.execute_script(JS_PAGE)
            seen[page['href']] = info
            problems[page['href']] = check_page(page, info, pages, base)
            driver.set_window_size(1400, min(max(info['height'], 800), 16000))
            driver.save_screenshot(str(SHOTS/(Path(page['href']).stem + '.png')))
            driver.set_window_size(1400, 1000)
        for href, info in seen.items():   # every link inside the site goes to a page and an anchor that exist
            for link in info['links']:
                if not link.startswith(base): continue
                parts = urlsplit(link)
                target = unquote(parts.path[1:]) or 'index.html'
                if not (DOCS/target).is_file(): problems[href].append(f"broken link {link[len(base):]}")
                elif parts.fragment and target in seen and unquote(parts.fragment) not in seen[target]['ids']:
                    problems[href].append(f"broken anchor {link[len(base):]}")
        problems.setdefault('index.html', []).extend(f"search: {b}" for b in check_search(driver, base, pages, seen))
    finally:
        driver.quit(); server.shutdown()
    for href, bad in problems.items():
        for b in bad: print(f"FAIL browser {href}: {b}")
    failed = sum(bool(b) for b in problems.values())
    print(f"browser: {len(problems) - failed} pages passed, {failed} failed (screenshots in {SHOTS.relative_to(ROOT)}/)")
    return 1 if failed or len(problems) != len(pages) else 0

# $CHROME_BIN first: GitHub's Ubuntu runners set it to the Google Chrome whose version their chromedriver matches
CHROMIUM = next(filter(None, map(shutil.which, [os.environ.get('CHROME_BIN', ''), 'chromium', 'chromium-browser', 'google-chrome'])), None)
CHROMEDRIVER = shutil.which('chromedriver')

if __name__ == '__main__':
    if not (CHROMIUM and CHROMEDRIVER):
        print("browser: SKIPPED, no Chromium and chromedriver on PATH (Debian: apt-get install chromium chromium-driver)")
        sys.exit(0)
    if not (DOCS/'index.html').exists(): sys.exit("browser: FAIL, no _docs/index.html: build the docs first")
    sys.exit(main())
