// API Gateway proxy responses and request fields, for both payload versions.

/** A JSON proxy response. */
export function json(statusCode, body) {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** The HTTP method of an API Gateway event (v2 or v1), or undefined for a direct invocation. */
export function methodOf(event) {
  return event?.requestContext?.http?.method ?? event?.httpMethod;
}

/** The parsed JSON body of an API Gateway event, or the event itself for a direct invocation. */
export function bodyOf(event) {
  if (typeof event?.body !== 'string') return event ?? {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return text ? JSON.parse(text) : {};
}
