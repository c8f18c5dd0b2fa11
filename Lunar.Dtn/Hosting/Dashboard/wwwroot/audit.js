// The audit log panel: the merged log from GET /api/v1/audit with its filters; refreshed as the node changes
// when "follow live" is ticked.
import { h, fill, empty, time } from './dom.js';

const KNOWN_ACTIONS = ['campaign-created', 'campaign-run', 'campaign-pause', 'campaign-cancel', 'control-conflict', 'approval-approve', 'approval-reject',
  'artifact-registered', 'agent-registered', 'server-timed-out', 'alert-anomaly-pause'];

let lastRevision = -1;
let inFlight = false;

function form() { return document.getElementById('audit-filters'); }

function query() {
  const f = new FormData(form());
  const q = new URLSearchParams();
  for (const key of ['campaign', 'action', 'actor', 'replica', 'limit']) {
    const v = String(f.get(key) ?? '').trim();
    if (v) q.set(key, v);
  }
  return q;
}

export async function loadAudit() {
  if (inFlight) return;
  inFlight = true;
  try {
    const r = await fetch(`/api/v1/audit?${query()}`);
    const body = await r.json();
    if (!r.ok) return fill('audit', h('p', { class: 'badge bad' }, body.detail ?? `error ${r.status}`));
    if (body.length === 0) return fill('audit', empty('No entry matches.'));
    fill('audit', h('div', { class: 'scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'when'), h('th', {}, 'replica'), h('th', {}, 'actor'), h('th', {}, 'action'), h('th', {}, 'details'))),
      h('tbody', {}, [...body].reverse().map(e => h('tr', { testid: 'audit-entry' },
        h('td', {}, time(e.time)), h('td', {}, e.replica), h('td', {}, e.actor), h('td', { class: 'mono' }, e.action), h('td', {}, e.details)))))));
  } catch (e) {
    fill('audit', h('p', { class: 'empty' }, `could not read the audit log: ${e.message}`));
  } finally {
    inFlight = false;
  }
}

export function wireAudit() {
  const list = document.getElementById('audit-actions');
  list.replaceChildren(...KNOWN_ACTIONS.map(a => h('option', { value: a })));
  form().addEventListener('submit', e => { e.preventDefault(); loadAudit(); });
  form().addEventListener('change', () => loadAudit());
}

/** Keeps the campaign filter's choices in step with the campaigns, and reloads when the replica changed. */
export function onSnapshot(snap) {
  const select = form().elements.campaign;
  const chosen = select.value;
  const ids = snap.campaigns.map(c => c.id);
  const shown = [...select.options].slice(1).map(o => o.value);
  if (ids.join() !== shown.join()) {
    select.replaceChildren(h('option', { value: '' }, 'any'), ...snap.campaigns.map(c => h('option', { value: c.id }, `${c.name} (${c.id})`)));
    select.value = ids.includes(chosen) ? chosen : '';
  }
  if (form().elements.follow.checked && snap.revision !== lastRevision) {
    lastRevision = snap.revision;
    loadAudit();
  }
}
