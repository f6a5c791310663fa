// The text grammar of Serverless variables: `${source:address, fallback, ...}`, with nesting,
// quoted literals, and CloudFormation's own `${AWS::Region}` / `${Queue.Arn}` left alone.

/** A piece of a string: plain text or one `${...}` variable. */
export type Segment = { kind: 'text'; text: string } | { kind: 'var'; raw: string; inner: string };

/** A parsed variable source reference: `file(./x.yml):a.b` -> {source: 'file', params: ['./x.yml'], address: 'a.b'}. */
export interface SourceRef {
  source: string;
  params: string[];
  address: string;
}

// `name:` (but not CloudFormation's `AWS::`) or `name(...)`.
const SOURCE_START = /^\s*(?:[A-Za-z][A-Za-z0-9]*\s*\(|[A-Za-z][A-Za-z0-9]*:(?!:)|\$\{)/;

/** Splits text into plain parts and Serverless variables; `${...}` that is not a Serverless variable stays text. */
export function splitVariables(text: string): Segment[] {
  const out: Segment[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) break;
    const end = matchingBrace(text, start + 2);
    if (end < 0) break;
    const inner = text.slice(start + 2, end);
    plain += text.slice(i, start);
    if (SOURCE_START.test(inner)) {
      if (plain) out.push({ kind: 'text', text: plain });
      plain = '';
      out.push({ kind: 'var', raw: text.slice(start, end + 1), inner });
    } else {
      plain += text.slice(start, end + 1);
    }
    i = end + 1;
  }
  plain += text.slice(i);
  if (plain) out.push({ kind: 'text', text: plain });
  return out;
}

/** Index of the `}` closing a variable whose body starts at `from`, skipping nested variables and quotes; -1 if unclosed. */
function matchingBrace(text: string, from: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Splits a variable body at its top-level commas: `opt:stage, self:provider.stage, 'dev'`. */
export function splitCandidates(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let parens = 0;
  let quote: string | null = null;
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '$' && inner[i + 1] === '{') {
      depth++;
      current += '${';
      i++;
      continue;
    } else if (c === '}') {
      depth--;
    } else if (c === '(') {
      parens++;
    } else if (c === ')') {
      parens--;
    } else if (c === ',' && depth === 0 && parens === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  parts.push(current.trim());
  return parts;
}

/** A literal fallback (`'dev'`, `"dev"`, `10`, `true`), or undefined when the candidate is not a literal. */
export function parseLiteral(candidate: string): { value: unknown } | undefined {
  const quoted = /^(['"])([\s\S]*)\1$/.exec(candidate);
  if (quoted) return { value: quoted[2] };
  if (/^-?\d+(\.\d+)?$/.test(candidate)) return { value: Number(candidate) };
  if (candidate === 'true' || candidate === 'false') return { value: candidate === 'true' };
  return undefined;
}

/** Parses `source(params):address`; undefined when the text is not a source reference. */
export function parseSourceRef(candidate: string): SourceRef | undefined {
  const m = /^([A-Za-z][A-Za-z0-9]*)\s*(?:\(([^)]*)\))?(?::(?!:)([\s\S]*))?$/.exec(candidate);
  if (!m || (m[2] === undefined && m[3] === undefined)) return undefined;
  const params = m[2] === undefined ? [] : m[2].split(',').map((p) => unquote(p.trim()));
  return { source: m[1]!, params, address: (m[3] ?? '').trim() };
}

function unquote(text: string): string {
  const m = /^(['"])([\s\S]*)\1$/.exec(text);
  return m ? m[2]! : text;
}
