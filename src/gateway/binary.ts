// When the REST API turns a function's base64 body back into bytes. It does so only for media
// types listed in the API's binaryMediaTypes: the first media type of the request's Accept header,
// or the Content-Type the function answered with, must match one. Otherwise the client receives
// the base64 text, which is what users meet after deploying without binaryMediaTypes.
import type { Base64Rule } from './response.js';

/** The rule for one REST request; `accept` is the request's Accept header. */
export function restBase64Rule(binaryMediaTypes: readonly string[], accept: string | undefined): Base64Rule {
  if (binaryMediaTypes.length === 0) return NEVER;
  const first = accept === undefined ? undefined : mediaType(accept.split(',')[0]!);
  const acceptMatches = first !== undefined && binaryMediaTypes.some((pattern) => matches(pattern, first));
  if (acceptMatches) return ALWAYS;
  return (contentType) => {
    if (contentType === undefined) return false;
    const type = mediaType(contentType);
    return binaryMediaTypes.some((pattern) => matches(pattern, type));
  };
}

const NEVER: Base64Rule = () => false;
const ALWAYS: Base64Rule = () => true;

/** `type/subtype` of a header value, lower case, parameters dropped. */
function mediaType(value: string): string {
  const semi = value.indexOf(';');
  return (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
}

/** True when a binary media type (with `*` wildcards) matches a concrete media type. */
export function matches(pattern: string, type: string): boolean {
  const p = pattern.toLowerCase();
  if (p === type) return true;
  if (!p.includes('*')) return false;
  const re = new RegExp(`^${p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('[^,;]*')}$`);
  return re.test(type);
}
