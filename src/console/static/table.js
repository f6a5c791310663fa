// @ts-check
// The functions table: settings plus the metrics of GET /__coldstart/metrics, updated in place.
import { el, ms } from './format.js';

/** @typedef {import('./model.js').Model} Model */
/** @typedef {{ tr: HTMLTableRowElement, cells: Record<string, HTMLTableCellElement> }} Row */

const COLUMNS = ['fn', 'memory', 'instances', 'invocations', 'coldStarts', 'errors', 'timeouts', 'throttles', 'concurrent', 'duration', 'init'];

/** Keeps one row per function and only touches cells whose text changed. */
export class FunctionsTable {
  /**
   * @param {HTMLElement} tbody
   * @param {HTMLElement} emptyNote
   */
  constructor(tbody, emptyNote) {
    this.tbody = tbody;
    this.emptyNote = emptyNote;
    /** @type {Map<string, Row>} */
    this.rows = new Map();
    /** @type {Set<HTMLTableCellElement>} */
    this.changed = new Set();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.changedTimer = undefined;
  }

  /** Clears every row (a new snapshot). */
  reset() {
    this.rows.clear();
    this.tbody.replaceChildren();
  }

  /**
   * Renders the model's functions with the latest metrics.
   * @param {Model} model
   */
  update(model) {
    const metrics = (model.metrics && model.metrics.functions) || {};
    const names = [...model.functions.keys()];
    for (const name of Object.keys(metrics)) if (!model.functions.has(name)) names.push(name);
    this.emptyNote.hidden = names.length > 0;
    for (const name of names) {
      const row = this.row(name);
      const f = model.functions.get(name);
      const cfg = f && f.config;
      const m = metrics[name];
      const counts = model.instanceCounts(name);
      this.set(row, 'memory', cfg ? `${cfg.memorySize} MB` : '—');
      this.set(row, 'instances', counts.busy ? `${counts.alive} (${counts.busy} busy)` : String(counts.alive), counts.alive === 0);
      if (m) {
        this.set(row, 'invocations', String(m.invocations), m.invocations === 0);
        this.set(row, 'coldStarts', String(m.coldStarts), m.coldStarts === 0, m.coldStarts ? 'cold' : '');
        this.set(row, 'errors', String(m.errors), m.errors === 0, m.errors ? 'bad' : '');
        this.set(row, 'timeouts', String(m.timeouts), m.timeouts === 0, m.timeouts ? 'warn' : '');
        this.set(row, 'throttles', String(m.throttles), m.throttles === 0, m.throttles ? 'bad' : '');
        this.set(row, 'concurrent', `${m.concurrentExecutions} / ${m.peakConcurrentExecutions ?? '—'}`, m.peakConcurrentExecutions === 0);
        this.set(row, 'duration', `${ms(m.duration.p50)} · ${ms(m.duration.p95)} · ${ms(m.duration.p99)}`, m.duration.p50 === null);
        this.set(row, 'init', `${ms(m.initDuration.p50)} · ${ms(m.initDuration.p99)}`, m.initDuration.p50 === null);
      }
      const fnCell = /** @type {HTMLTableCellElement} */ (row.cells.fn);
      const label = cfg ? `${cfg.handler} · ${cfg.timeout}s timeout${cfg.reservedConcurrency !== null ? ` · reserved ${cfg.reservedConcurrency}` : ''}` : '';
      if (fnCell.dataset.label !== label) {
        fnCell.dataset.label = label;
        fnCell.replaceChildren(document.createTextNode(name));
        if (cfg && cfg.provisionedConcurrency > 0) fnCell.append(el('span', 'pill', `PC ${cfg.provisionedConcurrency}`));
        if (label) fnCell.append(el('span', 'sub', label));
      }
    }
  }

  /**
   * The row of a function, made on first use.
   * @param {string} name
   * @returns {Row}
   */
  row(name) {
    let row = this.rows.get(name);
    if (!row) {
      const tr = document.createElement('tr');
      tr.dataset.function = name;
      /** @type {Record<string, HTMLTableCellElement>} */
      const cells = {};
      for (const col of COLUMNS) {
        const td = document.createElement('td');
        td.dataset.col = col;
        if (col === 'fn') td.className = 'left fn';
        cells[col] = td;
        tr.append(td);
      }
      this.tbody.append(tr);
      row = { tr, cells };
      this.rows.set(name, row);
    }
    return row;
  }

  /**
   * Sets one cell, marking it when its text changed.
   * @param {Row} row
   * @param {string} col
   * @param {string} text
   */
  set(row, col, text, zero = false, tone = '') {
    const td = /** @type {HTMLTableCellElement} */ (row.cells[col]);
    if (td.textContent === text && td.dataset.tone === tone) return;
    const changed = td.textContent !== '' && td.textContent !== text;
    td.dataset.tone = tone;
    td.className = tone;
    td.replaceChildren(zero ? el('span', 'zero', text) : document.createTextNode(text));
    // A brief highlight on change: a class on, then off. An animated fade would repaint the
    // page on every frame while metrics change several times a second.
    if (changed) {
      td.classList.add('changed');
      this.changed.add(td);
      clearTimeout(this.changedTimer);
      this.changedTimer = setTimeout(() => {
        for (const cell of this.changed) cell.classList.remove('changed');
        this.changed.clear();
      }, 700);
    }
  }
}
