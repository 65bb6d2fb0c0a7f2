// The search box of the docs site. Its index, search_index.js, is written by scripts/docs.py when the site is built:
// one entry for each page and each heading, with the page's title (t), the heading (h), its anchor (a), its kind (k:
// page, section or api) and the prose under it (x). Plain script, no network: it works from file:// too.
(function () {
  'use strict';
  const input = document.getElementById('search-input');
  const box = document.getElementById('search-results');
  const index = window.SCRATCHNN_SEARCH || [];
  if (!input || !box) return;
  const low = index.map(e => ({h: e.h.toLowerCase(), t: e.t.toLowerCase(), x: e.x.toLowerCase()}));
  const MAX = 12;
  let shown = [], selected = -1;

  const isWordStart = (s, i) => i === 0 || !/[a-z0-9]/.test(s[i - 1]);
  const count = (s, w) => { let n = 0, i = -1; while ((i = s.indexOf(w, i + 1)) >= 0 && n < 3) n++; return n; };

  // Every term must occur in the heading, the page title or the prose; headings weigh most, whole words more.
  function score(i, terms) {
    const e = low[i];
    let s = 0;
    for (const w of terms) {
      const h = e.h.indexOf(w), t = e.t.indexOf(w), x = e.x.indexOf(w);
      if (h < 0 && t < 0 && x < 0) return 0;
      if (h >= 0) s += 10 + (isWordStart(e.h, h) ? 5 : 0);
      if (t >= 0) s += 2;
      if (x >= 0) s += count(e.x, w);
    }
    return s + (index[i].k === 'section' ? 2 : index[i].k === 'page' ? 1 : 0);
  }

  // `text` as nodes, with every term in <mark>
  function marked(text, terms) {
    const frag = document.createDocumentFragment();
    const re = new RegExp(terms.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
    let last = 0, m;
    while ((m = re.exec(text)) && m[0]) {
      frag.append(text.slice(last, m.index));
      const mk = document.createElement('mark'); mk.textContent = m[0]; frag.append(mk);
      last = m.index + m[0].length;
    }
    frag.append(text.slice(last));
    return frag;
  }

  function snippet(e, terms) {
    const x = e.x, lx = x.toLowerCase();
    const at = Math.max(0, Math.min(...terms.map(w => { const i = lx.indexOf(w); return i < 0 ? Infinity : i; })));
    if (!isFinite(at) || !x) return x.slice(0, 140);
    const start = Math.max(0, at - 50);
    return (start ? '…' : '') + x.slice(start, start + 160) + (start + 160 < x.length ? '…' : '');
  }

  function select(k) {
    const links = box.querySelectorAll('a.search-result');
    links.forEach((a, j) => a.classList.toggle('selected', j === k));
    selected = k;
    if (links[k]) links[k].scrollIntoView({block: 'nearest'});
  }

  function hide() { box.hidden = true; selected = -1; }

  function render() {
    const q = input.value.trim().toLowerCase();
    const terms = q.split(/\s+/).filter(w => w.length > 0);
    box.replaceChildren();
    if (q.length < 2) { hide(); return; }
    shown = index.map((e, i) => [score(i, terms), i]).filter(([s]) => s > 0)
                 .sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, MAX).map(([, i]) => index[i]);
    if (!shown.length) {
      const p = document.createElement('p'); p.className = 'search-none';
      p.textContent = `Nothing found for “${input.value.trim()}”`; box.append(p);
    }
    for (const e of shown) {
      const a = document.createElement('a');
      a.className = 'search-result'; a.setAttribute('role', 'option');
      a.href = e.p + (e.a ? '#' + e.a : '');
      const where = document.createElement('span'); where.className = 'search-page'; where.textContent = e.t;
      const head = document.createElement(e.k === 'api' ? 'code' : 'span');
      head.className = 'search-heading'; head.append(marked(e.k === 'page' ? e.t : e.h, terms));
      const text = document.createElement('span'); text.className = 'search-snippet';
      text.append(marked(snippet(e, terms), terms));
      if (e.k !== 'page') a.append(where);
      a.append(head, text);
      a.addEventListener('click', hide);
      box.append(a);
    }
    box.hidden = false;
    select(shown.length ? 0 : -1);
  }

  input.addEventListener('input', render);
  input.addEventListener('focus', () => { if (input.value.trim().length >= 2) render(); });
  input.addEventListener('keydown', ev => {
    const n = box.querySelectorAll('a.search-result').length;
    if (ev.key === 'ArrowDown' && n) { ev.preventDefault(); select((selected + 1) % n); }
    else if (ev.key === 'ArrowUp' && n) { ev.preventDefault(); select((selected - 1 + n) % n); }
    else if (ev.key === 'Enter' && n) {
      ev.preventDefault();
      box.querySelectorAll('a.search-result')[Math.max(selected, 0)].click();
    }
    else if (ev.key === 'Escape') { hide(); input.blur(); }
  });
  document.addEventListener('click', ev => { if (!ev.target.closest('.search')) hide(); });
  document.addEventListener('keydown', ev => {   // "/" jumps to the search box, as on many documentation sites
    if (ev.key === '/' && document.activeElement !== input && !/^(INPUT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      ev.preventDefault(); input.focus();
    }
  });
})();
