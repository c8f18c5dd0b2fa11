// Small DOM and formatting helpers. Everything shown is built with text nodes, never parsed HTML,
// so nothing a record contains (a campaign name, an audit detail) can inject markup.

/** Creates an element: h('td', { class: 'num' }, 'text', childNode, ...). Null and false children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'testid') el.dataset.testid = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces the children of the element with id `id`. */
export function fill(id, ...children) {
  document.getElementById(id).replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
}

export const empty = text => h('p', { class: 'empty' }, text);

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n, i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export const num = n => (n ?? 0).toLocaleString('en-US');

/** Seconds as "42 s", "3 min 12 s", "5 h 02 min", "2 d 4 h". */
export function duration(s) {
  if (s === null || s === undefined || Number.isNaN(s)) return '–';
  s = Math.max(0, Math.floor(s));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${String(Math.floor(s % 3600 / 60)).padStart(2, '0')} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor(s % 86400 / 3600)} h`;
}

export function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export const shortId = id => (id && id.length > 16 ? `${id.slice(0, 12)}…` : id ?? '');
