// The dashboard: one snapshot of the node at a time, from the live feed (server-sent events, GET /api/v1/events),
// rendered into every panel; between snapshots a one-second tick keeps the staleness figures counting.
import { renderCampaigns, renderLink, renderAttention, renderApprovals, renderConflicts, renderArtifacts, tickStaleness } from './panels.js';
import { wireAudit, onSnapshot as auditOnSnapshot, loadAudit } from './audit.js';
import { wireEmergencyStop, setMe } from './actions.js';
import { duration, h, fill } from './dom.js';

let snapshot = null;
let receivedAt = 0;
let artifactsEndpoint = null; // null: not probed yet; true: GET /api/v1/artifacts lists; false: it does not
let artifactsRevision = -1;

const heldFor = () => (Date.now() - receivedAt) / 1000;

function setFeed(live, text) {
  const feed = document.getElementById('feed');
  feed.textContent = text;
  feed.className = `feed ${live ? 'feed-live' : 'feed-wait'}`;
}

async function loadArtifacts(snap) {
  if (artifactsRevision === snap.revision) return;
  artifactsRevision = snap.revision;
  let list = null;
  if (artifactsEndpoint !== false) {
    try {
      const r = await fetch('/api/v1/artifacts');
      const body = r.ok ? await r.json() : null;
      artifactsEndpoint = Array.isArray(body);
      if (artifactsEndpoint) list = body;
    } catch { artifactsEndpoint = false; }
  }
  // Transfer figures may also come with the sync state; merge them over the records by id.
  const fromSync = Object.fromEntries((snap.sync.artifacts ?? []).map(a => [a.id ?? a.sha256, a]));
  list = (list ?? snap.artifacts ?? []).map(a => ({ ...a, ...(fromSync[a.id ?? a.sha256] ?? {}) }));
  renderArtifacts(list);
}

function render(snap) {
  snapshot = snap;
  receivedAt = Date.now();
  document.getElementById('node-id').textContent = snap.node;
  document.getElementById('node-role').textContent = snap.role;
  document.title = `${snap.node} — Lunar.Dtn`;
  document.getElementById('estop').hidden = snap.role === 'earth';
  renderLink(snap, 0);
  renderCampaigns(snap);
  renderAttention(snap);
  renderApprovals(snap);
  renderConflicts(snap);
  loadArtifacts(snap);
  auditOnSnapshot(snap);
  renderExpiring(snap);
  document.body.dataset.revision = String(snap.revision);
}

// Certificates that stop acting within 60 days: a banner until a renewal (a new constellation version) arrives.
function renderExpiring(snap) {
  const banner = document.getElementById('cert-warning');
  const due = snap.expiring ?? [];
  banner.hidden = due.length === 0;
  if (due.length === 0) return;
  const when = e => (e.secondsLeft <= 0 ? `expired ${duration(-e.secondsLeft)} ago` : `in ${duration(e.secondsLeft)}`);
  const more = snap.expiringTotal > due.length ? h('li', {}, `… and ${snap.expiringTotal - due.length} more`) : null;
  fill('cert-warning',
    h('b', {}, `${snap.expiringTotal} certificate${snap.expiringTotal === 1 ? '' : 's'} stop acting within 60 days. `),
    'Renew them with constellation renew and put the new version into a node: it reaches the Moon by link or stick.',
    h('ul', {}, due.map(e => h('li', { testid: `expiring-${e.principal}` }, `${e.principal} (${e.kind}) ${when(e)} — ${e.notAfter.slice(0, 10)}`)), more));
}

async function loadMe() {
  try {
    const r = await fetch('/api/v1/me');
    if (!r.ok) return;
    const who = await r.json();
    setMe(who);
    fill('me', 'you are ', h('b', {}, who.id), ` · ${who.role} · constellation v${who.constellationVersion}`);
  } catch { /* shown as … until it answers */ }
}

function tick() {
  if (!snapshot) return;
  tickStaleness(snapshot, heldFor());
  document.getElementById('updated').textContent = `updated ${duration(heldFor())} ago · node time ${snapshot.now.slice(11, 19)} UTC`;
  // No event for longer than three heartbeats: the feed has stalled even if the socket looks open.
  if (heldFor() > 6) setFeed(false, 'feed stalled — reconnecting…');
}

function connect() {
  const events = new EventSource('/api/v1/events');
  events.addEventListener('snapshot', e => {
    render(JSON.parse(e.data));
    setFeed(true, 'LIVE');
  });
  events.addEventListener('error', () => setFeed(false, 'feed lost — reconnecting…'));
}

wireAudit();
wireEmergencyStop();
loadMe();
loadAudit();
// First paint from the plain snapshot, then live from the feed (whichever comes first; later ones replace it).
fetch('/api/v1/dashboard').then(r => (r.ok ? r.json() : null)).then(snap => { if (snap && !snapshot) render(snap); }).catch(() => {});
connect();
setInterval(tick, 1000);
