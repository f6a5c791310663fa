// Key paths and their positions in serverless.yml, so every configuration error can name the
// file, the function, the key and the line.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { ColdstartError, type ColdstartErrorCode, type ErrorLocation } from '../types/errors.js';

/** A path into the configuration tree: map keys and sequence indexes. */
export type KeyPath = readonly (string | number)[];

/** Formats a key path as users write it: `functions.hello.events[0].sqs.batchSize`. */
export function formatKey(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** Maps key paths to error locations in one YAML document. */
export class Locator {
  constructor(
    readonly file: string,
    private readonly doc?: Document,
    private readonly lines?: LineCounter,
  ) {}

  /** The location of a key: file, function (for paths under `functions`), key, and line/column when the key is in the document. */
  at(path: KeyPath): ErrorLocation {
    const location: ErrorLocation = { file: this.file };
    if (path[0] === 'functions' && typeof path[1] === 'string') location.function = path[1];
    if (path.length > 0) location.key = formatKey(path);
    const offset = this.offsetOf(path);
    if (offset !== undefined && this.lines) {
      const pos = this.lines.linePos(offset);
      location.line = pos.line;
      location.column = pos.col;
    }
    return location;
  }

  /** A ColdstartError located at a key. */
  error(code: ColdstartErrorCode, message: string, path: KeyPath): ColdstartError {
    return new ColdstartError(code, message, this.at(path));
  }

  /** A CONFIG_INVALID error located at a key. */
  invalid(message: string, path: KeyPath): ColdstartError {
    return this.error('CONFIG_INVALID', message, path);
  }

  // Walks as deep as the document goes: a value that came from ${file()} or a default is reported
  // at the deepest key the user actually wrote.
  private offsetOf(path: KeyPath): number | undefined {
    if (!this.doc) return undefined;
    let node: unknown = this.doc.contents;
    let best: number | undefined = rangeStart(node);
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        const keyStart = rangeStart(pair.key);
        if (keyStart !== undefined) best = keyStart;
        node = pair.value;
        const valueStart = rangeStart(node);
        // Point at the value when it is a scalar on the key's line (`timeout: 901`), at the key otherwise.
        if (valueStart !== undefined && isScalar(node)) best = valueStart;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        const start = rangeStart(node);
        if (start === undefined) break;
        best = start;
      } else {
        break;
      }
    }
    return best;
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}
