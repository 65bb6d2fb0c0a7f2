"""The book's parts, as the committed nbs/sidebar.yml gives them (Quarto's form: a page, or a section with pages)."""
import yaml
from nbdev.config import get_config

def sidebar_groups():
    "[(section title or None, [notebook names])] in sidebar order; consecutive pages outside a section form one group"
    side = yaml.safe_load((get_config().nbs_path/'sidebar.yml').read_text())['website']['sidebar']['contents']
    groups = []
    for o in side:
        title = o.get('section') if isinstance(o, dict) else None
        names = [p for p in _flatten(o.get('contents', []) if title else [o]) if p.endswith('.ipynb')]
        if title is None and groups and groups[-1][0] is None: groups[-1][1].extend(names)
        else: groups.append((title, names))
    return groups

def _flatten(items):
    for o in items:
        if isinstance(o, str): yield o
        elif isinstance(o, dict):
            if 'href' in o: yield o['href']
            yield from _flatten(o.get('contents', []))
