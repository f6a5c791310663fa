// Turns stored messages into the ReceiveMessage wire shape (and picks the attributes a receiver
// asked for), and reads the loosely-typed JSON input of an action.
import { sqsErrors } from './errors.js';
import { md5OfAttributes } from './md5.js';
import type { MessageAttributeValue, StoredMessage } from './message.js';

/** A message as ReceiveMessage returns it. */
export interface WireMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
}

const SYSTEM_ATTRIBUTE_NAMES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
  'MessageGroupId',
] as const;

/** The system attributes of a message (all of them), as strings. */
export function systemAttributes(m: StoredMessage): Record<string, string> {
  const out: Record<string, string> = {
    SenderId: m.senderId,
    SentTimestamp: String(m.sentTimestamp),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp ?? m.sentTimestamp),
  };
  const trace = m.systemAttributes?.['AWSTraceHeader']?.StringValue;
  if (trace !== undefined) out['AWSTraceHeader'] = trace;
  if (m.deadLetterQueueSourceArn) out['DeadLetterQueueSourceArn'] = m.deadLetterQueueSourceArn;
  if (m.messageGroupId !== undefined) out['MessageGroupId'] = m.messageGroupId;
  return out;
}

/** Builds a ReceiveMessage entry with the system and message attributes that were asked for. */
export function toWireMessage(m: StoredMessage, systemNames: readonly string[], attributeNames: readonly string[]): WireMessage {
  const out: WireMessage = { MessageId: m.id, ReceiptHandle: m.receiptHandle ?? '', MD5OfBody: m.md5OfBody, Body: m.body };
  if (systemNames.length > 0) {
    const all = systemAttributes(m);
    const wantAll = systemNames.includes('All');
    const picked: Record<string, string> = {};
    for (const name of SYSTEM_ATTRIBUTE_NAMES) {
      if ((wantAll || systemNames.includes(name)) && all[name] !== undefined) picked[name] = all[name]!;
    }
    if (Object.keys(picked).length > 0) out.Attributes = picked;
  }
  if (attributeNames.length > 0 && m.attributes) {
    const picked: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(m.attributes)) {
      if (attributeNameWanted(name, attributeNames)) picked[name] = value;
    }
    if (Object.keys(picked).length > 0) {
      out.MessageAttributes = picked;
      out.MD5OfMessageAttributes = md5OfAttributes(picked)!;
    }
  }
  return out;
}

/** `All`, `.*`, an exact name, or a `prefix.*` pattern. */
function attributeNameWanted(name: string, wanted: readonly string[]): boolean {
  for (const w of wanted) {
    if (w === 'All' || w === '.*' || w === name) return true;
    if (w.endsWith('.*') && name.startsWith(w.slice(0, -1))) return true;
  }
  return false;
}

/** Reads an optional integer parameter within bounds; throws InvalidParameterValue. */
export function optionalInt(input: Record<string, unknown>, name: string, lo: number, hi: number): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < lo || n > hi) {
    throw sqsErrors.invalidParameterValue(`Value ${String(v)} for parameter ${name} is invalid. Reason: Must be between ${lo} and ${hi}.`);
  }
  return n;
}

/** Reads an optional list of strings. */
export function stringList(input: Record<string, unknown>, name: string): string[] {
  const v = input[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw sqsErrors.invalidParameterValue(`Parameter ${name} must be a list of strings.`);
  }
  return v as string[];
}

/** Reads a required string parameter; throws MissingParameter. */
export function requiredString(input: Record<string, unknown>, name: string): string {
  const v = input[name];
  if (typeof v !== 'string' || v === '') throw sqsErrors.missingParameter(name);
  return v;
}
