// Operator actions: every one asks for confirmation in a real dialog, then calls the ordinary REST API, and reports the
// node's answer (or its problem detail). Who acts is the principal of the browser's client certificate (the node writes
// that name into the audit log); the page sends no name of its own.
import { h } from './dom.js';

let me = null;

/** Who the node takes this browser to be (GET /api/v1/me), shown in every confirmation. */
export function setMe(who) { me = who; }

export function toast(text, kind = 'success') {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.className = `toast show ${kind}`;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.className = 'toast'; }, 6000);
}

/** Shows the confirmation dialog; resolves to { rollback } or null when cancelled. */
function confirmAction({ title, text, withRollback }) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-rollback-row').hidden = !withRollback;
  document.getElementById('confirm-rollback').checked = false;
  document.getElementById('confirm-actor').textContent = me ? `${me.id} (${me.role})` : 'you';
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue !== 'ok') return resolve(null);
      resolve({ rollback: document.getElementById('confirm-rollback').checked });
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    document.getElementById('confirm-ok').focus();
  });
}

async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: shown as text */ }
  if (!r.ok) throw new Error(json?.detail ?? json?.title ?? `${r.status} ${text}`);
  return json;
}

const verbs = {
  start: { label: 'Start', explain: 'Writes run: servers start once any needed quorum holds.' },
  pause: { label: 'Pause', explain: 'Writes pause: no new server starts; servers already upgrading finish their attempt. A pause wins over a concurrent resume elsewhere.' },
  resume: { label: 'Resume', explain: 'Writes run, superseding every pause this node has seen.' },
  cancel: { label: 'Cancel', explain: 'Final: the campaign can never run again.' },
};

/** The action buttons a campaign in `state` offers. */
export function campaignActions(campaign, role) {
  const s = campaign.state;
  const offered = [];
  if (s === 'draft' || s === 'ready') offered.push('start');
  if (s === 'running' || s === 'awaiting-approval') offered.push('pause');
  if (s === 'paused') offered.push('resume');
  if (s !== 'cancelled' && s !== 'completed') offered.push('cancel');
  const far = role === 'earth' ? ' From Earth, this reaches the Moon one light time later (or when contact returns).' : '';
  return offered.map(verb => h('button', {
    class: verb === 'cancel' || verb === 'pause' ? 'btn danger' : 'btn',
    testid: `action-${verb}-${campaign.id}`,
    onclick: async () => {
      const answer = await confirmAction({
        title: `${verbs[verb].label} campaign “${campaign.name}”?`,
        text: `${verbs[verb].explain}${far} (${campaign.id})`,
        withRollback: verb === 'cancel',
      });
      if (!answer) return;
      try {
        const view = await post(`/api/v1/campaigns/${encodeURIComponent(campaign.id)}/${verb}`, verb === 'cancel' ? { rollback: answer.rollback } : {});
        toast(`${verbs[verb].label}: campaign “${campaign.name}” is now ${view?.state ?? 'updated'}`);
      } catch (e) {
        toast(`${verbs[verb].label} refused: ${e.message}`, 'error');
      }
    },
  }, verbs[verb].label));
}

/** Wires the emergency stop button (shown on nodes that execute: Moon and Tier 1). */
export function wireEmergencyStop() {
  document.getElementById('estop').addEventListener('click', async () => {
    const answer = await confirmAction({
      title: 'EMERGENCY STOP?',
      text: 'Pauses every running or awaiting-approval campaign on this node at once: no new server starts. Servers already upgrading finish their attempt or roll back.',
    });
    if (!answer) return;
    try {
      const r = await post('/api/v1/emergency-stop', {});
      toast(`Emergency stop: ${r.stopped.length} campaign(s) paused`);
    } catch (e) {
      toast(`Emergency stop refused: ${e.message}`, 'error');
    }
  });
}
