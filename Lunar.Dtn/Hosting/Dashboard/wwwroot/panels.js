// Renders each panel of the dashboard from one snapshot (GET /api/v1/dashboard or an event of /api/v1/events).
import { h, fill, empty, bytes, num, duration, time, shortId } from './dom.js';
import { campaignActions } from './actions.js';

const UNDER_WAY = ['queued', 'pre-check', 'downloading', 'verifying', 'applying', 'smoke-test', 'validated'];
const PHASE_ORDER = ['idle', ...UNDER_WAY, 'complete', 'failed', 'rolling-back', 'rolled-back', 'timed-out'];

/** Groups phase counts into what a flight controller scans for: done, under way, rolled back, failing, not started. */
function groups(progress) {
  const g = { complete: 0, underway: 0, 'rolled-back': 0, failed: 0, idle: 0, total: 0 };
  for (const [phase, n] of Object.entries(progress ?? {})) {
    g.total += n;
    if (phase === 'complete') g.complete += n;
    else if (phase === 'rolled-back') g['rolled-back'] += n;
    else if (phase === 'failed' || phase === 'rolling-back' || phase === 'timed-out') g.failed += n;
    else if (phase === 'idle') g.idle += n;
    else g.underway += n;
  }
  return g;
}

function bar(progress, thin = false) {
  const g = groups(progress);
  const seg = key => g.total && g[key] ? h('span', { class: `seg-${key}`, style: `width:${(100 * g[key] / g.total).toFixed(2)}%`, title: `${key}: ${g[key]}` }) : null;
  return h('div', { class: thin ? 'bar thin' : 'bar', role: 'img', 'aria-label': `${g.complete} of ${g.total} complete` },
    seg('complete'), seg('rolled-back'), seg('failed'), seg('underway'), seg('idle'));
}

function breakdown(title, map, label) {
  const keys = Object.keys(map ?? {}).sort();
  if (keys.length === 0) return h('div', {}, h('h4', { class: 'muted' }, title), empty('no servers'));
  return h('div', {},
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, title), h('th', {}, 'progress'), h('th', { class: 'num' }, 'done'), h('th', { class: 'num' }, 'all'))),
      h('tbody', {}, keys.map(k => {
        const g = groups(map[k]);
        return h('tr', { testid: `${label}-${k}` }, h('td', {}, label === 'tier' ? `Tier ${k}` : k), h('td', { style: 'width:45%' }, bar(map[k], true)),
          h('td', { class: 'num' }, num(g.complete + g['rolled-back'])), h('td', { class: 'num' }, num(g.total)));
      }))));
}

export function renderCampaigns(snap) {
  if (snap.campaigns.length === 0) return fill('campaigns', empty('No campaign on this node yet.'));
  fill('campaigns', h('div', { class: 'cards' }, snap.campaigns.map(c => {
    const g = groups(c.progress);
    const quorum = !c.quorumNeeded ? h('span', { class: 'badge' }, 'no quorum needed')
      : c.quorumHolds ? h('span', { class: 'badge ok' }, 'quorum holds') : h('span', { class: 'badge warn' }, 'quorum missing');
    return h('article', { class: 'card', testid: `campaign-${c.id}` },
      h('h3', {}, c.name, h('span', { class: `badge ${c.state}`, testid: `campaign-state-${c.id}` }, c.state), quorum),
      h('div', { class: 'muted mono' }, `${c.id} · artifact ${shortId(c.artifactId)} · batch ${c.batchSize} · concurrency ${c.concurrencyLimit}${c.createdBy ? ` · by ${c.createdBy}` : ''}`),
      bar(c.progress),
      h('div', { class: 'summary', testid: `campaign-summary-${c.id}` },
        h('b', { testid: `campaign-complete-${c.id}` }, num(g.complete)), ` of ${num(g.total)} complete · `,
        h('b', {}, num(g.underway)), ' under way · ',
        h('b', {}, num(g['rolled-back'])), ' rolled back · ',
        h('b', {}, num(g.failed)), ' failing · ',
        h('b', {}, num(g.idle)), ' not started'),
      h('div', { class: 'chips' }, PHASE_ORDER.filter(p => c.progress[p]).map(p => h('span', { class: 'chip', testid: `phase-${c.id}-${p}` }, `${p} ${num(c.progress[p])}`))),
      h('div', { class: 'split' }, breakdown('tier', c.progressByTier, 'tier'), breakdown('site', c.progressBySite, 'site')),
      c.conflicts.length ? h('p', { class: 'muted' }, `${c.conflicts.length} control conflict(s) resolved — see below`) : null,
      h('div', { class: 'actions' }, campaignActions(c, snap.role)));
  })));
}

/** Seconds since the snapshot's contact figure, advanced by the time the page has held the snapshot. */
export function staleness(peer, heldForSeconds) {
  if (peer.linkUp) return 0;
  if (peer.secondsSinceContact === null || peer.secondsSinceContact === undefined) return null;
  return peer.secondsSinceContact + heldForSeconds;
}

function stalenessText(peer, heldFor) {
  const s = staleness(peer, heldFor);
  if (peer.linkUp) return { text: 'current — in contact', cls: 'stale fresh' };
  if (s === null) return { text: 'never heard from', cls: 'stale very-old' };
  return { text: `${duration(s)} old`, cls: s > 3600 ? 'stale very-old' : 'stale old' };
}

/** Updates only the ticking staleness figures (called every second between snapshots). */
export function tickStaleness(snap, heldFor) {
  for (const p of snap.sync.peers) {
    const el = document.querySelector(`[data-testid="staleness-${CSS.escape(p.id)}"]`);
    if (!el) continue;
    const { text, cls } = stalenessText(p, heldFor);
    el.textContent = text;
    el.className = cls;
  }
}

export function renderLink(snap, heldFor) {
  const s = snap.sync;
  const own = h('dl', { class: 'facts' },
    h('dt', {}, 'this replica'), h('dd', {}, `${snap.node} (${snap.role}) · ${num(Object.values(s.vector).reduce((a, b) => a + b, 0))} deltas known`),
    h('dt', {}, 'held in custody'), h('dd', {}, `${num(s.ownDeltasHeld)} own deltas, ${num(s.intervalsHeld)} intervals (${bytes(s.intervalBytesHeld)}) until every peer acknowledges`));
  if (s.peers.length === 0) return fill('link', own, empty(snap.role === 'earth' || snap.role === 'moon' ? 'No peer configured or seen yet (Link:Peers / Link:Listen).' : 'No peer.'));
  fill('link', own, h('div', { class: 'peers' }, s.peers.map(p => {
    const st = stalenessText(p, heldFor);
    const o = p.outbox;
    return h('article', { class: 'card peer', testid: `peer-${p.id}` },
      h('div', { class: 'head' },
        h('span', { class: 'name' }, p.id),
        h('span', { class: `badge big ${p.linkUp ? 'up' : 'down'}`, testid: `link-state-${p.id}` }, p.linkUp ? 'LINK UP' : 'LINK DOWN'),
        h('span', {}, h('span', { class: 'muted' }, 'our view of it: '), h('span', { class: st.cls, testid: `staleness-${p.id}` }, st.text))),
      h('dl', { class: 'facts' },
        h('dt', {}, 'last contact'), h('dd', { testid: `last-contact-${p.id}` }, p.lastContact ? time(p.lastContact) : 'never'),
        h('dt', {}, 'next contact'), h('dd', {}, p.linkUp ? 'now (session open)' : 'when the relay returns: the node redials every few seconds (Link:ReconnectMaxSeconds); no contact plan is configured'),
        h('dt', {}, 'it lacks from us'), h('dd', { testid: `behind-${p.id}` }, `${num(p.deltasBehind)} deltas (control ${num(o.controlDeltas)}, status ${num(o.statusDeltas)})${o.snapshot ? ' — will get a snapshot' : ''}`),
        h('dt', {}, 'outbox by priority'), h('dd', { testid: `outbox-${p.id}` },
          `control ${num(o.bundles.control)} bundles / ${bytes(o.bytes.control)} · status ${num(o.bundles.status)} / ${bytes(o.bytes.status)} · bulk ${num(o.bundles.bulk)} / ${bytes(o.bytes.bulk)}` +
          (o.queuedBundles ? ` · ${num(o.queuedBundles)} queued on the connection` : '')),
        h('dt', {}, 'sent'), h('dd', { testid: `sent-${p.id}` }, p.sent ? `${num(p.sent.bundles)} bundles, ${bytes(p.sent.bytes)} (control ${bytes(p.sent.controlBytes)}, status ${bytes(p.sent.statusBytes)}, bulk ${bytes(p.sent.bulkBytes)})` : 'nothing this session'),
        h('dt', {}, 'received'), h('dd', { testid: `received-${p.id}` }, p.received ? `${num(p.received.bundles)} bundles, ${bytes(p.received.bytes)} · ${num(p.received.duplicates)} duplicates` : 'nothing this session'),
        h('dt', {}, 'refused'), h('dd', {}, p.received?.rejected ? h('span', { class: 'badge bad' }, `${num(p.received.rejected)} — last: ${p.received.lastRejection}`) : '0'),
        h('dt', {}, 'retransmissions'), h('dd', {}, num(p.retransmissions))));
  })));
}

export function renderAttention(snap) {
  const count = document.getElementById('attention-count');
  count.textContent = num(snap.attentionTotal);
  count.className = snap.attentionTotal ? 'count hot' : 'count';
  if (snap.attention.length === 0) return fill('attention', empty('Nothing failed, rolled back or timed out.'));
  const names = Object.fromEntries(snap.campaigns.map(c => [c.id, c.name]));
  fill('attention',
    snap.attentionTotal > snap.attention.length ? h('p', { class: 'muted' }, `showing the newest ${snap.attention.length} of ${num(snap.attentionTotal)}`) : null,
    h('div', { class: 'scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'server'), h('th', {}, 'phase'), h('th', {}, 'campaign'), h('th', {}, 'where'), h('th', {}, 'since'), h('th', {}, 'detail'))),
      h('tbody', {}, snap.attention.map(s => h('tr', { testid: `attention-${s.id}` },
        h('td', { class: 'mono' }, s.id), h('td', {}, h('span', { class: `badge ${s.phase}` }, s.phase)),
        h('td', {}, names[s.campaignId] ?? s.campaignId ?? '–'), h('td', {}, `${s.site ?? '?'} · T${s.tier ?? '?'}`),
        h('td', {}, time(s.since)), h('td', {}, s.detail ?? '')))))));
}

export function renderApprovals(snap) {
  if (snap.approvals.length === 0) return fill('approvals', empty('No campaign here needs a quorum.'));
  const names = Object.fromEntries(snap.campaigns.map(c => [c.id, c.name]));
  const pendingFirst = [...snap.approvals].sort((a, b) => Number(a.quorumHolds) - Number(b.quorumHolds));
  fill('approvals', pendingFirst.map(a => h('div', { class: 'card', testid: `approvals-${a.campaignId}` },
    h('h3', {}, names[a.campaignId] ?? a.campaignId, a.quorumHolds ? h('span', { class: 'badge ok' }, 'quorum holds') : h('span', { class: 'badge warn' }, 'pending')),
    h('div', { class: 'muted mono' }, `signs content ${shortId(a.contentHash)}`),
    a.counted.length ? h('ul', {}, a.counted.map(c => h('li', {}, `✔ ${c.approverId} (${c.role}) — ${time(new Date(c.signedAtMs).toISOString())}`))) : h('p', { class: 'empty' }, 'nobody has signed'),
    a.missing.length ? h('p', {}, h('span', { class: 'muted' }, 'missing: '), a.missing.join('; ')) : null,
    a.refused.length ? h('ul', {}, a.refused.map(r => h('li', {}, `✘ ${r.approverId}: ${r.reason}`))) : null)));
}

export function renderConflicts(snap) {
  if (snap.conflicts.length === 0) return fill('conflicts', empty('No concurrent control writes so far.'));
  fill('conflicts', h('div', { class: 'scroll' }, h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'when'), h('th', {}, 'seen by'), h('th', {}, 'resolution'))),
    h('tbody', {}, snap.conflicts.map(c => h('tr', {}, h('td', {}, time(c.time)), h('td', {}, c.replica), h('td', {}, c.details)))))));
}

/**
 * Artifacts: the list from GET /api/v1/artifacts when this node has it, else the records in the snapshot; any
 * transfer figures present (progress 0-1, bytes received or held, where it is) are drawn as a bar.
 */
export function renderArtifacts(list) {
  if (!list || list.length === 0) return fill('artifacts', empty('No artifact registered.'));
  fill('artifacts', h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'artifact'), h('th', { class: 'num' }, 'size'), h('th', {}, 'transfer'))),
    h('tbody', {}, list.map(a => {
      const size = a.sizeBytes ?? a.size ?? null;
      const have = a.bytesReceived ?? a.bytesHeld ?? a.bytesHave ?? a.transfer?.bytesReceived ?? a.transfer?.bytes ?? null;
      let ratio = typeof a.progress === 'number' ? a.progress : typeof a.transfer?.progress === 'number' ? a.transfer.progress : null;
      if (ratio === null && have !== null && size) ratio = have / size;
      const where = a.location ?? a.state ?? a.status ?? a.transfer?.state ?? (a.origin ? `registered on ${a.origin}` : '');
      return h('tr', { testid: `artifact-${a.id ?? a.sha256}` },
        h('td', {}, h('div', {}, `${a.name} ${a.version ?? ''}`), h('div', { class: 'muted mono' }, shortId(a.id ?? a.sha256))),
        h('td', { class: 'num' }, bytes(size)),
        h('td', {}, ratio === null ? h('span', { class: 'muted' }, where || 'metadata only')
          : h('div', {}, h('div', { class: 'bar thin' }, h('span', { class: 'seg-complete', style: `width:${Math.min(100, 100 * ratio).toFixed(1)}%` })),
            `${(100 * ratio).toFixed(1)} %${where ? ` · ${where}` : ''}`)));
    }))));
}
