// @ts-check
// The timeline's hover card: what a bar, throttle mark or retirement is, in a few rows.
import { bytes, el, ms, shortId } from './format.js';

/** Fills and positions the tooltip element (text only: event data is untrusted). */
export function showTooltip(tip, content, x, y, maxWidth) {
  tip.replaceChildren(el('div', 't-title', content.title));
  for (const [k, v] of content.rows) {
    const row = el('div', 't-row', k);
    row.append(el('b', '', v));
    tip.append(row);
  }
  tip.hidden = false;
  const left = Math.min(x + 14, maxWidth - tip.offsetWidth - 8);
  tip.style.left = `${Math.max(8, left)}px`;
  tip.style.top = `${y + 14}px`;
}

/** Title and rows describing what the pointer is over. */
export function tooltipContent(hit, model) {
  if (hit.requestId) {
    const inv = model.invocations.get(hit.requestId);
    const seg = hit.seg;
    const rows = [
      ['request', shortId(hit.requestId, 18)],
      ['instance', shortId(hit.lane.id, 18)],
      ['outcome', seg.outcome || 'running'],
      ['duration', inv && inv.durationMs !== undefined ? ms(inv.durationMs) : ms((seg.end ?? Date.now()) - seg.start)],
    ];
    if (inv && inv.initDurationMs !== undefined) rows.push(['init duration', ms(inv.initDurationMs)]);
    if (inv && inv.source) rows.push(['source', inv.source]);
    return { title: `${hit.lane.fn} · ${seg.cold ? 'cold' : 'warm'} invocation`, rows };
  }
  if (hit.init) {
    const s = hit.init;
    const rows = [['instance', shortId(hit.lane.id, 18)]];
    rows.push(['init duration', s.initDurationMs !== undefined ? ms(s.initDurationMs) : 'running']);
    if (s.platformDelayMs !== undefined) rows.push(['platform delay', ms(s.platformDelayMs)]);
    if (s.packageBytes !== undefined) rows.push(['package', bytes(s.packageBytes)]);
    if (s.error) rows.push(['error', s.error]);
    return { title: `${hit.lane.fn} · ${s.initType === 'provisioned-concurrency' ? 'provisioned init' : 'cold start'}`, rows };
  }
  if (hit.throttle) {
    const t = hit.throttle;
    return { title: `${hit.fn} · throttled`, rows: [['request', shortId(t.requestId, 18)], ['reason', t.reason], ['source', t.source]] };
  }
  const lane = hit.retired;
  return { title: `${lane.fn} · instance retired`, rows: [['instance', shortId(lane.id, 18)], ['reason', lane.retireReason || ''], ['invocations', String(lane.invocations || 0)]] };
}
