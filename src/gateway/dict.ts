// Dictionaries built from request data. Client-chosen names such as `constructor`, `toString` or
// `__proto__` must be ordinary own keys: on a plain object, reading them finds Object.prototype's
// members, and assigning `__proto__` replaces the prototype instead of adding a key. The objects
// stay plain (a prototype-less object is a slow dictionary to V8, and JSON.stringify of every
// event paid for it); only reads and writes go through these two helpers.

/** The own value of `key`, never an inherited one. */
export function ownGet<T>(obj: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Sets `key` as an own enumerable property, `__proto__` included. */
export function ownSet<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
