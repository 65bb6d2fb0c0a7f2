"""Sphinx configuration of the docs site: MyST-NB renders the notebooks that `scripts/docs.py` stages (nbdev's
processed notebooks, as they were executed: nothing runs here), with sphinx-book-theme. `scripts/docs.py` passes the
site's title, repository and branch (from pyproject.toml) as `-D` overrides."""
import json
from pathlib import Path
from latex2mathml.converter import convert as tex2mathml

project = 'scratchnn'
extensions = ['myst_nb', 'sphinx_copybutton']
exclude_patterns = ['**.ipynb_checkpoints']
smartquotes = False                     # the text as written, quotes included
nb_execution_mode = 'off'                 # the committed outputs, as executed
nb_render_markdown_format = 'myst'        # show_doc and other Markdown outputs
myst_enable_extensions = ['dollarmath', 'amsmath', 'attrs_block', 'attrs_inline', 'colon_fence', 'html_image']
suppress_warnings = ['mystnb.unknown_mime_type', 'misc.highlighting_failure', 'myst.header']

html_theme = 'sphinx_book_theme'
html_title = project
html_static_path = ['static']
html_css_files = ['site.css']
html_sourcelink_suffix = ''
html_copy_source = True
html_show_sphinx = False
html_last_updated_fmt = None
html_theme_options = {
    'repository_url': 'https://github.com/scratchnn/scratchnn', 'repository_branch': 'main', 'path_to_docs': 'nbs',
    'use_repository_button': True, 'use_download_button': True, 'use_fullscreen_button': False,
    'launch_buttons': {'colab_url': 'https://colab.research.google.com', 'binderhub_url': 'https://mybinder.org',
                       'notebook_interface': 'jupyterlab'},
    'show_toc_level': 2, 'toc_title': 'On this page', 'home_page_in_toc': True, 'navigation_with_keys': False,
}
copybutton_exclude = '.linenos, .gp, .go'

# Math as MathML (latex2mathml), drawn by the browser itself: no MathJax, no script, no network.
def _mathml(tex, block):
    try: return tex2mathml(tex.strip(), display='block' if block else 'inline')
    except Exception: return f'<code class="tex">{tex}</code>'
def _alt(html, tex):   # MathML's own text alternative, which search and screen readers use
    return html.replace('<math ', f'<math alttext="{tex.strip().replace(chr(34), "&quot;")}" ', 1)
def visit_inline(self, node):
    self.body.append(_alt(_mathml(node.astext(), False), node.astext())); raise __import__('docutils').nodes.SkipNode
def visit_block(self, node, math_env=''):
    self.body.append(f'<div class="math-block" id="{node["ids"][0]}">' if node.get('ids') else '<div class="math-block">')
    self.body.append(_alt(_mathml(node.astext(), True), node.astext()) + '</div>')
    raise __import__('docutils').nodes.SkipNode

def _launch_paths(app, pagename, templatename, context, doctree):
    "Pages are named as nbdev names them (init.html); their notebooks keep their file names (nbs/02_init.ipynb)"
    src = app.config.scratchnn_sources.get(pagename)
    def fix(o):
        if isinstance(o, list): return [fix(x) for x in o]
        if isinstance(o, dict): return {k: fix(v) for k, v in o.items()}
        return o.replace(f'nbs/{pagename}.ipynb', f'nbs/{src}') if isinstance(o, str) else o
    if src: context['header_buttons'] = fix(context.get('header_buttons', []))

def setup(app):
    app.add_html_math_renderer('mathml', (visit_inline, None), (visit_block, None))
    app.config.html_math_renderer = 'mathml'
    app.add_config_value('scratchnn_sources', {}, 'html')
    app.connect('builder-inited', lambda app: app.config.__setitem__('scratchnn_sources',
        json.loads((Path(app.srcdir)/'pages.json').read_text())))
    app.connect('html-page-context', _launch_paths, priority=900)   # after the theme adds its launch buttons
