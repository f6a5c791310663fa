// @ts-check
// The log pane: handler lines, REPORTs and lifecycle notes, filterable by function and request id.
// Entries are queued and appended once per frame; both the store and the DOM are bounded.
import { clock, el, shortId } from './format.js';

const MAX_ENTRIES = 3000;
const MAX_ROWS = 500;

/** A bounded, filterable log view. */
export class LogPane {
  constructor(container, fnSelect, requestInput, clearButton, { onSelect }) {
    this.container = container;
    this.fnSelect = fnSelect;
    this.requestInput = requestInput;
    this.onSelect = onSelect;
    this.entries = [];
    this.pending = [];
    this.filter = { fn: '', request: '' };
    this.knownFunctions = new Set();
    fnSelect.addEventListener('change', () => this.setFilter({ fn: fnSelect.value }));
    requestInput.addEventListener('input', () => this.setFilter({ request: requestInput.value.trim() }));
    clearButton.addEventListener('click', () => this.clear());
    // Follow new lines while the reader is at the bottom; tracked on scroll so that appending
    // never has to measure the pane first.
    this.follow = true;
    container.addEventListener('scroll', () => {
      this.follow = container.scrollHeight - container.scrollTop - container.clientHeight < 24;
    }, { passive: true });
    container.addEventListener('click', (ev) => {
      const rid = ev.target.closest('.rid');
      if (rid && rid.dataset.requestId) this.onSelect(rid.dataset.requestId);
    });
  }

  /** Queues an entry; it appears on the next flush. */
  push(entry) {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    this.pending.push(entry);
    if (this.pending.length > MAX_ROWS) this.pending.splice(0, this.pending.length - MAX_ROWS);
  }

  /** Offers these function names in the filter. */
  setFunctions(names) {
    for (const name of names) {
      if (this.knownFunctions.has(name)) continue;
      this.knownFunctions.add(name);
      const opt = document.createElement('option');
      opt.value = name;
      opt.textContent = name;
      this.fnSelect.append(opt);
    }
  }

  /** Filters by function and/or request id (substring). */
  setFilter(next) {
    Object.assign(this.filter, next);
    if (next.request !== undefined && this.requestInput.value.trim() !== next.request) this.requestInput.value = next.request;
    this.rerender();
  }

  /** Empties the pane (the model keeps each invocation's own lines). */
  clear() {
    this.entries = [];
    this.pending = [];
    this.container.replaceChildren();
  }

  /** Appends queued entries; called once per animation frame. */
  flush() {
    if (this.pending.length === 0) return;
    const frag = document.createDocumentFragment();
    for (const entry of this.pending) if (this.matches(entry)) frag.append(this.render(entry));
    this.pending = [];
    this.container.append(frag);
    const excess = this.container.childElementCount - MAX_ROWS;
    for (let i = 0; i < excess; i++) this.container.firstElementChild.remove();
    if (this.follow) this.container.scrollTop = 1e9;
  }

  rerender() {
    this.pending = [];
    const frag = document.createDocumentFragment();
    const shown = this.entries.filter((e) => this.matches(e)).slice(-MAX_ROWS);
    for (const entry of shown) frag.append(this.render(entry));
    this.container.replaceChildren(frag);
    this.follow = true;
    this.container.scrollTop = 1e9;
  }

  matches(entry) {
    if (this.filter.fn && entry.fn !== this.filter.fn) return false;
    if (this.filter.request && !(entry.requestId || '').includes(this.filter.request)) return false;
    return true;
  }

  render(entry) {
    const level = (entry.level || '').toLowerCase();
    const row = el('div', `log-row kind-${entry.kind}${level ? ` lvl-${level}` : ''}`);
    row.append(el('span', 't', clock(entry.time)), el('span', 'fn', entry.fn || '—'));
    const rid = el('span', 'rid', entry.requestId ? shortId(entry.requestId) : '');
    if (entry.requestId) {
      rid.dataset.requestId = entry.requestId;
      rid.title = `${entry.requestId}: show this invocation`;
    }
    row.append(rid, el('span', 'lvl', entry.level || ''), el('span', 'msg', entry.text));
    return row;
  }
}
