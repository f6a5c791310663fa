// @ts-check
// The event stream connection: reconnects by itself with backoff (the server may restart).

const FIRST_DELAY = 400;
const MAX_DELAY = 5000;

/** Opens the WebSocket and keeps it open; returns nothing, reports through callbacks. */
export function connect({ onSnapshot, onEvent, onStatus }) {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/__coldstart/events`;
  let delay = FIRST_DELAY;
  let retryTimer = null;

  const open = () => {
    retryTimer = null;
    onStatus('connecting', {});
    let socket;
    try {
      socket = new WebSocket(url);
    } catch {
      return schedule({ code: 0, reason: 'could not open a WebSocket' });
    }
    socket.onmessage = (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      if (data.type === 'snapshot') {
        delay = FIRST_DELAY;
        onStatus('live', {});
        onSnapshot(data);
      } else {
        onEvent(data);
      }
    };
    socket.onclose = (ev) => schedule(ev);
    socket.onerror = () => {
      // 'close' always follows and schedules the retry.
    };
  };

  const schedule = (ev) => {
    if (retryTimer) return;
    const wait = Math.round(delay * (0.8 + Math.random() * 0.4));
    delay = Math.min(MAX_DELAY, delay * 2);
    onStatus('reconnecting', { wait, code: ev.code, reason: ev.reason });
    retryTimer = setTimeout(open, wait);
  };

  // Coming back to the tab or the network: try now rather than wait out the backoff.
  const retryNow = () => {
    if (!retryTimer) return;
    clearTimeout(retryTimer);
    open();
  };
  window.addEventListener('online', retryNow);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') retryNow();
  });
  open();
}
