// Whether a request URL lies under a path prefix, matched as express matches a mounted path:
// whole segments, ignoring case and the query string.

/** True when the path of `url` is `prefix` or lies below it. */
export function hasPathPrefix(url: string | undefined, prefix: string): boolean {
  if (!url || url.length < prefix.length) return false;
  if (url.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return false;
  const next = url[prefix.length];
  return next === undefined || next === '/' || next === '?';
}
