// @ts-check
// The timeline: one lane per instance, grouped by function, drawn on a canvas once per frame.
import { shortId } from './format.js';
import { showTooltip, tooltipContent } from './tooltip.js';

/** @typedef {import('./model.js').Model} Model */
/** @typedef {import('./model.js').Lane} Lane */
/** @typedef {import('./model.js').Segment} Segment */
/**
 * Something drawn that the pointer can hit: a bar, a throttle marker or a retirement cross.
 * @typedef {{ x: number, y: number, w: number, h: number, requestId?: string, seg?: Segment, init?: Segment, lane?: Lane,
 *   throttle?: import('./model.js').Throttle, fn?: string, retired?: Lane }} Target
 */
/**
 * @typedef {{ kind: 'fn', fn: import('./model.js').FunctionEntry, height: number }
 *   | { kind: 'lane', lane: Lane, height: number }
 *   | { kind: 'more', count: number, height: number }} Row
 */

const GUTTER = 190;
const AXIS = 26;
const FN_ROW = 26;
const LANE = 20;
const BAR = 12;
const MIN_BAR = 3;
/** Lanes drawn per function; the rest are summarised. */
const MAX_LANES = 40;

const css = getComputedStyle(document.documentElement);
/** @param {string} name */
const color = (name) => css.getPropertyValue(name).trim();
const C = {
  bg: color('--panel'),
  grid: '#1e242d',
  gutter: '#121720',
  text: color('--text'),
  muted: color('--muted'),
  faint: color('--faint'),
  success: color('--success'),
  error: color('--error'),
  timeout: color('--timeout'),
  crash: color('--crash'),
  init: color('--init'),
  pc: color('--pc'),
  throttle: color('--throttle'),
  reload: color('--reload'),
  retired: color('--retired'),
  running: '#9ecbff',
  fnRow: '#181e27',
};
/** @type {Record<string, string>} */
const OUTCOME = { success: C.success, error: C.error, timeout: C.timeout, crash: C.crash, oom: C.crash };
/** @type {Record<string, string>} */
const STATE_DOT = { busy: C.success, idle: '#8b949e', initializing: C.init, retired: '#3d444d', failed: C.error };
const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif';
const FONT_BOLD = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif';
const FONT_MONO = '11px ui-monospace, Menlo, Consolas, "Liberation Mono", monospace';

/**
 * The 2D context of a canvas (always available for a canvas of our own page).
 * @param {HTMLCanvasElement} canvas
 * @returns {CanvasRenderingContext2D}
 */
function context2d(canvas) {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  return ctx;
}

/** Canvas renderer with hit testing (hover tooltip, click to select an invocation). */
export class Timeline {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {HTMLElement} tooltip
   * @param {HTMLElement} empty
   * @param {Model} model
   * @param {{ onSelect: (requestId: string) => void }} handlers
   */
  constructor(canvas, tooltip, empty, model, { onSelect }) {
    this.canvas = canvas;
    this.ctx = context2d(canvas);
    this.tooltip = tooltip;
    this.empty = empty;
    this.model = model;
    this.onSelect = onSelect;
    this.windowMs = 60_000;
    /** @type {number | null} */
    this.pausedAt = null;
    /** @type {string | null} */
    this.selected = null;
    /** @type {Target[]} */
    this.targets = [];
    /** @type {{ hit: Target, x: number, y: number } | null} */
    this.hover = null;
    this.cssWidth = 0;
    this.cssHeight = 0;
    this.dpr = 0;
    /** @type {Record<string, CanvasPattern | null>} */
    this.patterns = {};
    /** @type {{ now: number, revision: number, width: number, selected: string | null, windowMs: number, pausedAt: number | null } | null} */
    this.lastDraw = null;
    // Width comes from a ResizeObserver: reading clientWidth in each frame would force a layout.
    this.width = canvas.clientWidth || 1000;
    new ResizeObserver((entries) => {
      this.width = Math.round(entries[0]?.contentRect.width ?? 0) || this.width;
    }).observe(canvas);
    canvas.addEventListener('mousemove', (ev) => this.onMove(ev));
    canvas.addEventListener('mouseleave', () => this.hideTooltip());
    canvas.addEventListener('click', (ev) => {
      const hit = this.hitAt(ev);
      if (hit && hit.requestId) this.onSelect(hit.requestId);
    });
  }

  /** Where invocation bars were drawn in the last frame (CSS pixels, relative to the canvas). */
  hitTargets() {
    return this.targets
      .flatMap((t) => (t.requestId && t.lane && t.seg ? [{ requestId: t.requestId, fn: t.lane.fn, instanceId: t.lane.id, outcome: t.seg.outcome, x: t.x, y: t.y, w: t.w, h: t.h }] : []));
  }

  /** Milliseconds until the picture has moved by a pixel (bounded to 16..100 ms). */
  frameInterval() {
    const msPerPixel = this.windowMs / Math.max(10, this.width - GUTTER - 12);
    return Math.min(100, Math.max(16, msPerPixel - 4));
  }

  /** Forces the next `draw` to repaint (size, window or selection changed). */
  invalidate() {
    this.lastDraw = null;
  }

  /**
   * Draws the timeline for server time `now`, unless nothing visible changed: the picture moves
   * by one pixel every `windowMs / plotWidth` ms, so repainting more often than that (or than
   * the model changes) only burns CPU. Returns whether it painted.
   */
  draw(now, revision) {
    const width = this.width;
    const msPerPixel = this.windowMs / Math.max(10, width - GUTTER - 12);
    const last = this.lastDraw;
    if (
      last &&
      last.width === width &&
      last.selected === this.selected &&
      last.windowMs === this.windowMs &&
      last.pausedAt === this.pausedAt &&
      (last.revision === revision ? now - last.now < msPerPixel : now - last.now < Math.min(msPerPixel, 50))
    ) {
      return false;
    }
    this.lastDraw = { now, revision, width, selected: this.selected, windowMs: this.windowMs, pausedAt: this.pausedAt };
    this.paint(now);
    return true;
  }

  paint(now) {
    const end = this.pausedAt ?? now;
    const start = end - this.windowMs;
    const rows = this.layout(start);
    this.resize(AXIS + rows.reduce((h, r) => h + r.height, 0) + 6);
    const ctx = this.ctx;
    const w = this.cssWidth;
    const plotW = Math.max(10, w - GUTTER - 12);
    const x = (t) => GUTTER + ((t - start) / this.windowMs) * plotW;
    this.targets = [];

    ctx.fillStyle = C.bg;
    ctx.fillRect(0, 0, w, this.cssHeight);
    ctx.fillStyle = C.gutter;
    ctx.fillRect(0, 0, GUTTER, this.cssHeight);
    this.drawAxis(start, end, x, plotW);

    let y = AXIS;
    for (const row of rows) {
      if (row.kind === 'fn') this.drawFunctionRow(row.fn, y, start, end, x, w);
      else if (row.kind === 'more') this.drawMoreRow(row, y);
      else this.drawLane(row.lane, y, start, end, x, now);
      y += row.height;
    }
    this.drawReloads(start, end, x, y);
    this.empty.hidden = rows.some((r) => r.kind === 'lane');
    if (this.hover) this.refreshTooltip();
  }

  /**
   * The rows to draw, top to bottom: each function, then its lanes alive in the window.
   * @param {number} start
   * @returns {Row[]}
   */
  layout(start) {
    /** @type {Row[]} */
    const rows = [];
    for (const f of this.model.functions.values()) {
      rows.push({ kind: 'fn', fn: f, height: FN_ROW });
      const lanes = [...f.lanes.values()]
        .filter((l) => l.retiredAt === null || l.retiredAt >= start)
        .sort((a, b) => a.createdAt - b.createdAt);
      for (const lane of lanes.slice(0, MAX_LANES)) rows.push({ kind: 'lane', lane, height: LANE });
      if (lanes.length > MAX_LANES) rows.push({ kind: 'more', count: lanes.length - MAX_LANES, height: LANE });
    }
    return rows;
  }

  resize(height) {
    const width = this.width;
    const dpr = window.devicePixelRatio || 1;
    if (width !== this.cssWidth || height !== this.cssHeight || this.dpr !== dpr) {
      this.cssWidth = width;
      this.cssHeight = height;
      this.dpr = dpr;
      this.canvas.style.height = `${height}px`;
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      this.patterns = {};
    }
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  drawAxis(start, end, x, plotW) {
    const ctx = this.ctx;
    const span = this.windowMs;
    const step = span <= 15_000 ? 2_000 : span <= 60_000 ? 10_000 : 60_000;
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'center';
    const first = Math.ceil(start / step) * step;
    for (let t = first; t <= end; t += step) {
      const px = Math.round(x(t)) + 0.5;
      ctx.strokeStyle = C.grid;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(px, AXIS - 4);
      ctx.lineTo(px, this.cssHeight);
      ctx.stroke();
      const ago = Math.round((end - t) / 1000);
      ctx.fillStyle = C.faint;
      ctx.fillText(ago === 0 ? 'now' : `−${ago >= 60 ? `${Math.round(ago / 60)}m` : `${ago}s`}`, px, AXIS / 2);
    }
    ctx.textAlign = 'left';
    ctx.fillStyle = C.muted;
    ctx.fillText(this.pausedAt ? 'paused' : 'live', 14, AXIS / 2);
    ctx.fillStyle = C.grid;
    ctx.fillRect(GUTTER, AXIS - 1, plotW + 12, 1);
  }

  drawFunctionRow(f, y, start, end, x, w) {
    const ctx = this.ctx;
    ctx.fillStyle = C.fnRow;
    ctx.fillRect(0, y, w, FN_ROW);
    ctx.fillStyle = C.grid;
    ctx.fillRect(0, y, w, 1);
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    ctx.font = FONT_BOLD;
    ctx.fillStyle = C.text;
    const name = fit(ctx, f.name, GUTTER - 80);
    ctx.fillText(name, 14, y + FN_ROW / 2);
    const nameW = ctx.measureText(name).width;
    ctx.font = FONT;
    ctx.fillStyle = C.faint;
    const cfg = f.config;
    if (cfg) ctx.fillText(`${cfg.memorySize} MB · v${cfg.codeVersion}`, 14 + nameW + 8, y + FN_ROW / 2);
    // Throttles: a red marker on the function's row at the moment it was refused.
    for (const t of f.throttles) {
      if (t.time < start || t.time > end) continue;
      const px = x(t.time);
      ctx.fillStyle = C.throttle;
      ctx.beginPath();
      ctx.moveTo(px - 5, y + 6);
      ctx.lineTo(px + 5, y + 6);
      ctx.lineTo(px, y + FN_ROW - 6);
      ctx.closePath();
      ctx.fill();
      this.targets.push({ x: px - 6, y, w: 12, h: FN_ROW, throttle: t, fn: f.name });
    }
  }

  drawMoreRow(row, y) {
    const ctx = this.ctx;
    ctx.font = FONT;
    ctx.fillStyle = C.faint;
    ctx.textBaseline = 'middle';
    ctx.fillText(`+ ${row.count} more instances`, 26, y + LANE / 2);
  }

  /**
   * One instance: its gutter, its lifetime line, its bars and, once retired, a cross.
   * @param {Lane} lane
   * @param {number} y
   * @param {number} start
   * @param {number} end
   * @param {(t: number) => number} x
   * @param {number} now
   */
  drawLane(lane, y, start, end, x, now) {
    const mid = y + LANE / 2;
    this.drawLaneGutter(lane, mid);
    this.drawLifetime(lane, mid, start, end, x, now);
    this.drawSegments(lane, mid, start, end, x, now);
    if (lane.state === 'retired' && lane.retiredAt !== null && lane.retiredAt >= start && lane.retiredAt <= end) {
      this.drawRetirement(lane, mid, x(lane.retiredAt));
    }
  }

  /**
   * Gutter: state dot, short id, provisioned tag, invocation count (or why it was retired).
   * @param {Lane} lane
   * @param {number} mid
   */
  drawLaneGutter(lane, mid) {
    const ctx = this.ctx;
    const retired = lane.state === 'retired';
    ctx.fillStyle = STATE_DOT[lane.state] || C.faint;
    ctx.beginPath();
    ctx.arc(20, mid, 3.5, 0, Math.PI * 2);
    ctx.fill();
    ctx.font = FONT_MONO;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    ctx.fillStyle = retired ? C.faint : C.muted;
    ctx.fillText(shortId(lane.id, 10), 30, mid);
    const tagX = 30 + ctx.measureText(shortId(lane.id, 10)).width + 6;
    if (lane.initType === 'provisioned-concurrency') {
      ctx.font = '600 9.5px system-ui, sans-serif';
      ctx.fillStyle = C.pc;
      ctx.fillText('PC', tagX, mid);
    }
    ctx.font = FONT_MONO;
    ctx.textAlign = 'right';
    ctx.fillStyle = C.faint;
    ctx.fillText(retired ? lane.retireReason || 'retired' : `×${lane.invocations || 0}`, GUTTER - 10, mid);
    ctx.textAlign = 'left';
  }

  /**
   * A thin line from creation to retirement (or now).
   * @param {Lane} lane
   * @param {number} mid
   * @param {number} start
   * @param {number} end
   * @param {(t: number) => number} x
   * @param {number} now
   */
  drawLifetime(lane, mid, start, end, x, now) {
    const lifeStart = Math.max(start, lane.createdAt);
    const lifeEnd = Math.min(end, lane.retiredAt ?? now);
    if (lifeEnd <= lifeStart) return;
    this.ctx.fillStyle = lane.state === 'retired' ? '#2a3038' : '#323a46';
    this.ctx.fillRect(x(lifeStart), mid - 0.5, x(lifeEnd) - x(lifeStart), 1);
  }

  /**
   * The init and invocation bars in the window. Bars hidden under the previous one (same colour,
   * same pixels) are not painted again, but stay hit targets.
   * @param {Lane} lane
   * @param {number} mid
   * @param {number} start
   * @param {number} end
   * @param {(t: number) => number} x
   * @param {number} now
   */
  drawSegments(lane, mid, start, end, x, now) {
    const top = mid - BAR / 2;
    let paintedTo = -Infinity;
    /** @type {string | null} */
    let paintedColor = null;
    for (const seg of lane.segments) {
      const segEnd = seg.end ?? now;
      if (segEnd < start || seg.start > end) continue;
      const x0 = x(Math.max(seg.start, start));
      const w = Math.max(MIN_BAR, x(Math.min(segEnd, end)) - x0);
      const box = { x: x0, y: top, w, h: BAR };
      if (seg.kind === 'init') {
        paintedColor = null;
        this.drawInitBar(seg, box, lane);
        continue;
      }
      if (seg.end !== null && seg.requestId !== this.selected) {
        const fill = outcomeColor(seg);
        if (fill === paintedColor && x0 + w <= paintedTo + 0.5) {
          this.targets.push({ ...box, requestId: seg.requestId, seg, lane });
          continue;
        }
        paintedColor = fill;
        paintedTo = x0 + w;
      } else {
        paintedColor = null;
      }
      this.drawInvokeBar(seg, box, lane);
    }
  }

  /**
   * @param {Segment} seg
   * @param {{ x: number, y: number, w: number, h: number }} box
   * @param {Lane} lane
   */
  drawInitBar(seg, box, lane) {
    const base = seg.initType === 'provisioned-concurrency' ? C.pc : C.init;
    this.ctx.fillStyle = this.stripes(base, Boolean(seg.error)) ?? base;
    roundRect(this.ctx, box.x, box.y, box.w, box.h, 2);
    this.targets.push({ ...box, init: seg, lane });
  }

  /**
   * A finished invocation in its outcome's colour, a running one lighter; the selected one outlined.
   * @param {Segment} seg
   * @param {{ x: number, y: number, w: number, h: number }} box
   * @param {Lane} lane
   */
  drawInvokeBar(seg, box, lane) {
    const ctx = this.ctx;
    ctx.fillStyle = seg.end === null ? C.running : outcomeColor(seg);
    ctx.globalAlpha = seg.end === null ? 0.75 : 1;
    roundRect(ctx, box.x, box.y, box.w, box.h, 2);
    ctx.globalAlpha = 1;
    if (seg.requestId === this.selected) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(box.x - 1.5, box.y - 1.5, box.w + 3, box.h + 3);
    }
    this.targets.push({ ...box, requestId: seg.requestId, seg, lane });
  }

  /**
   * A cross where the instance was retired.
   * @param {Lane} lane
   * @param {number} mid
   * @param {number} px
   */
  drawRetirement(lane, mid, px) {
    const ctx = this.ctx;
    ctx.strokeStyle = C.retired;
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    ctx.moveTo(px - 4, mid - 4);
    ctx.lineTo(px + 4, mid + 4);
    ctx.moveTo(px + 4, mid - 4);
    ctx.lineTo(px - 4, mid + 4);
    ctx.stroke();
    this.targets.push({ x: px - 5, y: mid - 6, w: 10, h: 12, retired: lane });
  }

  drawReloads(start, end, x, bottom) {
    const ctx = this.ctx;
    for (const r of this.model.reloads) {
      if (r.time < start || r.time > end) continue;
      const px = Math.round(x(r.time)) + 0.5;
      ctx.strokeStyle = C.reload;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(px, AXIS);
      ctx.lineTo(px, bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = FONT;
      ctx.fillStyle = C.reload;
      ctx.textBaseline = 'middle';
      ctx.fillText(`v${r.codeVersion}`, px + 4, AXIS / 2);
    }
  }

  stripes(base, failed) {
    const key = `${base}${failed ? '!' : ''}`;
    if (!this.patterns[key]) {
      const tile = document.createElement('canvas');
      tile.width = tile.height = 8;
      const t = context2d(tile);
      t.fillStyle = failed ? C.error : base;
      t.fillRect(0, 0, 8, 8);
      t.strokeStyle = 'rgba(0,0,0,0.28)';
      t.lineWidth = 2.5;
      t.beginPath();
      t.moveTo(-2, 10);
      t.lineTo(10, -2);
      t.moveTo(6, 10);
      t.lineTo(10, 6);
      t.moveTo(-2, 2);
      t.lineTo(2, -2);
      t.stroke();
      this.patterns[key] = this.ctx.createPattern(tile, 'repeat');
    }
    return this.patterns[key];
  }

  hitAt(ev) {
    const rect = this.canvas.getBoundingClientRect();
    const px = ev.clientX - rect.left;
    const py = ev.clientY - rect.top;
    for (let i = this.targets.length - 1; i >= 0; i--) {
      const t = this.targets[i];
      if (px >= t.x - 2 && px <= t.x + t.w + 2 && py >= t.y - 3 && py <= t.y + t.h + 3) return t;
    }
    return null;
  }

  onMove(ev) {
    const hit = this.hitAt(ev);
    this.canvas.classList.toggle('pointer', Boolean(hit && hit.requestId));
    if (!hit) return this.hideTooltip();
    const rect = this.canvas.getBoundingClientRect();
    this.hover = { hit, x: ev.clientX - rect.left, y: ev.clientY - rect.top };
    this.refreshTooltip();
  }

  hideTooltip() {
    this.hover = null;
    this.tooltip.hidden = true;
  }

  refreshTooltip() {
    if (!this.hover) return;
    const { hit, x, y } = this.hover;
    showTooltip(this.tooltip, tooltipContent(hit, this.model), x, y, this.cssWidth);
  }
}

/**
 * The colour of a finished invocation's outcome.
 * @param {Segment} seg
 */
function outcomeColor(seg) {
  return (seg.outcome && OUTCOME[seg.outcome]) || C.muted;
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} x
 * @param {number} y
 * @param {number} w
 * @param {number} h
 * @param {number} r
 */
function roundRect(ctx, x, y, w, h, r) {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, Math.min(r, w / 2));
  ctx.fill();
}

/**
 * The text, cut with an ellipsis to fit the width.
 * @param {CanvasRenderingContext2D} ctx
 * @param {string} text
 * @param {number} maxWidth
 */
function fit(ctx, text, maxWidth) {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > maxWidth) s = s.slice(0, -1);
  return `${s}…`;
}
