// @ts-check
// Small formatting and DOM helpers shared by the console's views.

/** `12.3 ms`, `1.24 s`; an em dash for missing values. */
export function ms(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  return `${value.toFixed(value >= 10 ? 1 : 2)} ms`;
}

/** `12:01:05.123` in local time. */
export function clock(time) {
  const d = new Date(time);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `1.2 MB`, `830 KB`. */
export function bytes(n) {
  if (n === null || n === undefined) return '—';
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** The first characters of an id, enough to tell ids apart on screen. */
export function shortId(id, length = 8) {
  if (!id) return '';
  return id.length > length ? id.slice(0, length) : id;
}

/** Creates an element with a class and text (never HTML: event data is untrusted). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
