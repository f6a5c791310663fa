// @ts-check
// Console entry point: connects to the event stream and redraws the views once per frame.
// Events only update the model; all drawing and DOM work is batched in requestAnimationFrame,
// which keeps the page smooth at hundreds of events per second.
import { connect } from './connection.js';
import { DetailPanel } from './detail.js';
import { FunctionsTable } from './table.js';
import { LogPane } from './logs.js';
import { Model } from './model.js';
import { Timeline } from './timeline.js';

/**
 * An element of index.html by id; the page is ours, so a missing id is a bug worth failing loudly.
 * @param {string} id
 * @returns {HTMLElement}
 */
const $ = (id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el;
};

const model = new Model();
let clockOffset = 0;
let tableDirty = true;
let eventsThisSecond = 0;
let live = false;

const serverNow = () => Date.now() + clockOffset;

const select = (requestId) => {
  timeline.selected = requestId;
  detail.select(requestId);
};
const timeline = new Timeline(/** @type {HTMLCanvasElement} */ ($('timeline')), $('tooltip'), $('timeline-empty'), model, { onSelect: select });
const table = new FunctionsTable(/** @type {HTMLElement} */ (document.querySelector('#functions tbody')), $('no-functions'));
const logs = new LogPane($('logs'), $('log-function'), $('log-request'), $('log-clear'), { onSelect: select });
const detail = new DetailPanel($('detail'), { onFilter: (requestId) => logs.setFilter({ request: requestId }) });
const onEntry = (entry) => logs.push(entry);

// Metrics: the server owns the counts and percentiles; refresh soon after activity, and slowly otherwise.
let metricsTimer = null;
const refreshMetrics = (delay = 250) => {
  if (metricsTimer) return;
  metricsTimer = setTimeout(async () => {
    // While the stream is down the server is too: asking would only log a failed request.
    if (!live) {
      metricsTimer = null;
      return;
    }
    try {
      const res = await fetch('/__coldstart/metrics', { cache: 'no-store' });
      if (res.ok) {
        model.metrics = await res.json();
        tableDirty = true;
      }
    } catch {
      // The stream's reconnect logic reports outages; a missed refresh is harmless.
    } finally {
      metricsTimer = null;
    }
  }, delay);
};
setInterval(() => {
  if (live) refreshMetrics(0);
}, 3000);

const refreshState = async () => {
  try {
    const res = await fetch('/__coldstart/state', { cache: 'no-store' });
    if (!res.ok) return;
    const state = await res.json();
    model.setFunctions(state.functions || []);
    logs.setFunctions(state.functions.map((f) => f.name));
    tableDirty = true;
  } catch {
    // Next reload or reconnect refreshes it.
  }
};

const METRIC_EVENTS = new Set(['invoke.start', 'invoke.end', 'invoke.throttled', 'instance.init.end', 'instance.retired']);

connect({
  onSnapshot(snapshot) {
    clockOffset = snapshot.time - Date.now();
    logs.clear();
    table.reset();
    model.loadSnapshot(snapshot, onEntry);
    logs.setFunctions((snapshot.functions || []).map((f) => f.name));
    renderHeader(snapshot);
    tableDirty = true;
    live = true;
    timeline.selected = detail.requestId;
    detail.renderedRevision = -1;
  },
  onEvent(event) {
    eventsThisSecond++;
    model.apply(event, onEntry);
    if (METRIC_EVENTS.has(event.type)) {
      tableDirty = true;
      refreshMetrics();
    }
    if (event.type === 'code.reloaded') refreshState();
  },
  onStatus(state, info) {
    live = state === 'live';
    const conn = $('conn');
    conn.dataset.state = state;
    let text = state === 'live' ? 'live' : state === 'connecting' ? 'connecting…' : `reconnecting in ${(info.wait / 1000).toFixed(1)} s`;
    if (state === 'reconnecting' && info.code === 1013) text = `dropped (too slow); ${text}`;
    $('conn-text').textContent = text;
    conn.title = info.reason || '';
  },
});

function renderHeader(snapshot) {
  $('service').textContent = [snapshot.service, snapshot.stage, snapshot.region].filter(Boolean).join(' · ');
  const s = snapshot.settings || {};
  const bits = [];
  if (s.coldStart) bits.push(`cold start ${s.coldStart}`);
  if (s.accountConcurrency !== undefined) bits.push(`account concurrency ${s.accountConcurrency}`);
  if (s.idleTimeout !== undefined) bits.push(`idle ${s.idleTimeout} s`);
  $('settings').textContent = bits.join(' · ');
  document.title = snapshot.service ? `${snapshot.service} · coldstart` : 'coldstart console';
}

// Controls.
for (const button of document.querySelectorAll(/** @type {'button'} */ ('[data-window]'))) {
  button.addEventListener('click', () => {
    timeline.windowMs = Number(button.dataset.window);
    for (const b of document.querySelectorAll('[data-window]')) b.classList.toggle('on', b === button);
  });
}
$('pause').addEventListener('click', (ev) => {
  const paused = timeline.pausedAt === null;
  timeline.pausedAt = paused ? serverNow() : null;
  const button = /** @type {HTMLElement} */ (ev.currentTarget);
  button.textContent = paused ? 'Resume' : 'Pause';
  button.classList.toggle('on', paused);
});

setInterval(() => {
  $('rate').textContent = `${eventsThisSecond} events/s`;
  eventsThisSecond = 0;
  model.prune(serverNow());
}, 1000);

/** Log rows are appended at most this often: nobody reads faster, and layout is the page's main cost. */
const LOG_FLUSH_MS = 100;
let lastLogFlush = 0;

// Frames are paced by the timeline's motion (one pixel per frame at most, 10 per second at
// least), not by events: a burst of events costs model updates only, and the page idles cheaply.
function frame(now) {
  timeline.draw(serverNow(), model.revision);
  if (now - lastLogFlush >= LOG_FLUSH_MS) {
    lastLogFlush = now;
    logs.flush();
  }
  detail.update(model);
  if (tableDirty) {
    tableDirty = false;
    table.update(model);
  }
  setTimeout(() => requestAnimationFrame(frame), timeline.frameInterval());
}
requestAnimationFrame(frame);

// For automated checks (the browser test) and curious developers: where invocation bars are drawn.
/** @type {any} */ (window).coldstartConsole = { model, hitTargets: () => timeline.hitTargets(), select };
