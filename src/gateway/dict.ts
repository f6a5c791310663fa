// Dictionaries built from request data. Client-chosen names such as `constructor`, `toString` or
// `__proto__` must land as ordinary own keys: a plain `{}` resolves them to Object.prototype's
// members (and `__proto__` assignment replaces the prototype), which corrupts or drops them.

/** An empty object without a prototype, for keys that come from the wire. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
