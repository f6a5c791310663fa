// @ts-check
// The invocation panel: what one request did, its REPORT line and its log lines.
import { clock, el, ms } from './format.js';

/** Shows the selected invocation; re-renders only when that invocation changed. */
export class DetailPanel {
  constructor(container, { onFilter }) {
    this.container = container;
    this.onFilter = onFilter;
    this.requestId = null;
    this.renderedRevision = -1;
  }

  /** Selects a request id (rendered on the next frame). */
  select(requestId) {
    this.requestId = requestId;
    this.renderedRevision = -1;
  }

  /** Renders if the selected invocation changed since the last frame. */
  update(model) {
    if (!this.requestId) return;
    const inv = model.invocations.get(this.requestId);
    const revision = inv ? inv.revision : -2;
    if (revision === this.renderedRevision) return;
    this.renderedRevision = revision;
    this.container.replaceChildren(inv ? this.render(inv) : el('p', 'empty', `Invocation ${this.requestId} is no longer in the console's history.`));
  }

  render(inv) {
    const frag = document.createDocumentFragment();
    const head = el('div', 'd-head');
    head.append(el('span', 'd-fn', inv.fn));
    const outcome = inv.outcome || 'running';
    head.append(el('span', `badge ${outcome}`, outcome));
    if (inv.cold !== undefined && inv.cold !== null) head.append(el('span', `badge ${inv.cold ? 'cold' : 'warm'}`, inv.cold ? 'cold start' : 'warm'));
    frag.append(head);

    const kv = el('dl', 'kv');
    const add = (k, v) => {
      if (v === undefined || v === null || v === '') return;
      kv.append(el('dt', '', k), el('dd', '', v));
    };
    add('Request id', inv.requestId);
    add('Instance', inv.instanceId);
    add('Source', inv.source);
    add('Started', inv.start ? clock(inv.start) : '');
    add('Duration', inv.durationMs !== undefined ? ms(inv.durationMs) : '');
    add('Billed', inv.billedDurationMs !== undefined ? `${inv.billedDurationMs} ms` : '');
    add('Init duration', inv.initDurationMs !== undefined ? ms(inv.initDurationMs) : '');
    add('Memory', inv.maxMemoryUsedMb !== undefined ? `${Math.ceil(inv.maxMemoryUsedMb)} of ${inv.memorySizeMb} MB` : '');
    if (inv.errorType) add('Error', `${inv.errorType}: ${inv.errorMessage || ''}`);
    frag.append(kv);

    frag.append(el('h3', '', 'Report'));
    frag.append(el('pre', 'report', inv.report ? inv.report.trimEnd().replace(/\t/g, '\n') : 'still running…'));

    const logsHead = el('h3', '', `Log lines (${inv.logs.length})`);
    frag.append(logsHead);
    const lines = inv.logs.map((l) => `${clock(l.time)}  ${l.level.padEnd(5)}  ${l.message}`).join('\n');
    frag.append(el('pre', 'log-lines', lines || 'no lines'));

    const link = el('button', 'link', 'Show in the log pane');
    link.type = 'button';
    link.addEventListener('click', () => this.onFilter(inv.requestId));
    const p = el('p', '');
    p.append(link);
    frag.append(p);
    return frag;
  }
}
