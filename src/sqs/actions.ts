// The SQS actions, input and output in the AWS JSON 1.0 shapes the SDK v3 sends and reads.
import { applyAttributes, DEFAULT_QUEUE_SETTINGS, READABLE_ATTRIBUTES, settingsToWire } from './attributes.js';
import { isSqsError, SqsError, sqsErrors } from './errors.js';
import type { MessageAttributeValue, MessageInput } from './message.js';
import type { Queue } from './queue.js';
import type { QueueStore } from './store.js';
import { optionalInt, requiredString, stringList, toWireMessage } from './wire.js';

/** JSON input of an action. */
export type ActionInput = Record<string, unknown>;

/** One SQS action: JSON input in, JSON output out (or an SqsError thrown). */
export type SqsAction = (input: ActionInput, signal: AbortSignal) => unknown | Promise<unknown>;

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_LONG_POLL_SECONDS = 20;

/** The actions this emulator answers, by name (the part after `AmazonSQS.`). */
export function createActions(store: QueueStore): Record<string, SqsAction> {
  return {
    CreateQueue(input) {
      const name = input['QueueName'];
      const settings = applyAttributes(DEFAULT_QUEUE_SETTINGS, input['Attributes'] as Record<string, unknown> | undefined);
      const queue = store.create(name, settings);
      return { QueueUrl: store.urlFor(queue.name) };
    },

    GetQueueUrl(input) {
      const name = requiredString(input, 'QueueName');
      if (!store.find(name)) throw sqsErrors.queueDoesNotExist();
      return { QueueUrl: store.urlFor(name) };
    },

    ListQueues(input) {
      const prefix = typeof input['QueueNamePrefix'] === 'string' ? input['QueueNamePrefix'] : '';
      const max = optionalInt(input, 'MaxResults', 1, 1000);
      const names = store
        .all()
        .map((q) => q.name)
        .filter((n) => n.startsWith(prefix))
        .sort();
      // Tokens are only used when MaxResults is given, as in SQS.
      const start = typeof input['NextToken'] === 'string' ? Number(Buffer.from(input['NextToken'], 'base64').toString('utf8')) || 0 : 0;
      const page = max === undefined ? names.slice(0, 1000) : names.slice(start, start + max);
      const out: Record<string, unknown> = {};
      if (page.length > 0) out['QueueUrls'] = page.map((n) => store.urlFor(n));
      if (max !== undefined && start + max < names.length) out['NextToken'] = Buffer.from(String(start + max)).toString('base64');
      return out;
    },

    DeleteQueue(input) {
      store.delete(store.byUrl(input['QueueUrl']));
      return {};
    },

    GetQueueAttributes(input) {
      const queue = store.byUrl(input['QueueUrl']);
      const names = stringList(input, 'AttributeNames');
      return { Attributes: queueAttributes(queue, names) };
    },

    SetQueueAttributes(input) {
      const queue = store.byUrl(input['QueueUrl']);
      queue.settings = applyAttributes(queue.settings, input['Attributes'] as Record<string, unknown> | undefined);
      queue.lastModifiedTimestamp = Date.now();
      return {};
    },

    PurgeQueue(input) {
      store.byUrl(input['QueueUrl']).purge();
      return {};
    },

    SendMessage(input) {
      const queue = store.byUrl(input['QueueUrl']);
      const m = queue.send(messageInput(input));
      return sendResult(m);
    },

    SendMessageBatch(input) {
      const queue = store.byUrl(input['QueueUrl']);
      const entries = batchEntries(input);
      let total = 0;
      for (const e of entries) total += Buffer.byteLength(String(e['MessageBody'] ?? ''), 'utf8');
      if (total > queue.settings.maximumMessageSize) throw sqsErrors.batchTooLong(total, queue.settings.maximumMessageSize);
      return runBatch(entries, (e) => ({ Id: e['Id'], ...sendResult(queue.send(messageInput(e))) }));
    },

    async ReceiveMessage(input, signal) {
      const queue = store.byUrl(input['QueueUrl']);
      const max = optionalInt(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
      const visibility = optionalInt(input, 'VisibilityTimeout', 0, 43_200) ?? queue.settings.visibilityTimeout;
      const wait = optionalInt(input, 'WaitTimeSeconds', 0, MAX_LONG_POLL_SECONDS) ?? queue.settings.receiveMessageWaitTimeSeconds;
      const systemNames = [...stringList(input, 'AttributeNames'), ...stringList(input, 'MessageSystemAttributeNames')];
      const attributeNames = stringList(input, 'MessageAttributeNames');
      const deadline = Date.now() + wait * 1000;
      for (;;) {
        const messages = queue.receive(max, visibility);
        if (messages.length > 0) {
          return { Messages: messages.map((m) => toWireMessage(m, systemNames, attributeNames)) };
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0 || signal.aborted) return {};
        await queue.waitForVisible(remaining, signal);
        if (store.find(queue.name) !== queue) throw sqsErrors.queueDoesNotExist();
        if (queue.isClosed) return {}; // shutting down
      }
    },

    DeleteMessage(input) {
      const queue = store.byUrl(input['QueueUrl']);
      queue.deleteMessage(requiredString(input, 'ReceiptHandle'));
      return {};
    },

    DeleteMessageBatch(input) {
      const queue = store.byUrl(input['QueueUrl']);
      return runBatch(batchEntries(input), (e) => {
        queue.deleteMessage(requiredString(e, 'ReceiptHandle'));
        return { Id: e['Id'] };
      });
    },

    ChangeMessageVisibility(input) {
      const queue = store.byUrl(input['QueueUrl']);
      queue.changeVisibility(requiredString(input, 'ReceiptHandle'), visibilityTimeout(input));
      return {};
    },

    ChangeMessageVisibilityBatch(input) {
      const queue = store.byUrl(input['QueueUrl']);
      return runBatch(batchEntries(input), (e) => {
        queue.changeVisibility(requiredString(e, 'ReceiptHandle'), visibilityTimeout(e));
        return { Id: e['Id'] };
      });
    },
  };
}

/** GetQueueAttributes for the requested names (`All` for every one); unknown names are refused. */
export function queueAttributes(queue: Queue, names: readonly string[]): Record<string, string> {
  const counts = queue.messageCounts;
  const all: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.lastModifiedTimestamp / 1000)),
    ...settingsToWire(queue.settings),
  };
  const out: Record<string, string> = {};
  for (const name of names) {
    if (name === 'All') return all;
    if (!(READABLE_ATTRIBUTES as readonly string[]).includes(name)) throw sqsErrors.invalidAttributeName(name);
    if (all[name] !== undefined) out[name] = all[name]!;
  }
  return out;
}

function messageInput(e: ActionInput): MessageInput {
  const delay = e['DelaySeconds'];
  return {
    body: e['MessageBody'] as string,
    delaySeconds: delay === undefined || delay === null ? undefined : Number(delay),
    attributes: e['MessageAttributes'] as Record<string, MessageAttributeValue> | undefined,
    systemAttributes: e['MessageSystemAttributes'] as Record<string, MessageAttributeValue> | undefined,
    messageGroupId: typeof e['MessageGroupId'] === 'string' ? e['MessageGroupId'] : undefined,
  };
}

function sendResult(m: { id: string; md5OfBody: string; md5OfAttributes: string | undefined; md5OfSystemAttributes: string | undefined }) {
  const out: Record<string, string> = { MessageId: m.id, MD5OfMessageBody: m.md5OfBody };
  if (m.md5OfAttributes) out['MD5OfMessageAttributes'] = m.md5OfAttributes;
  if (m.md5OfSystemAttributes) out['MD5OfMessageSystemAttributes'] = m.md5OfSystemAttributes;
  return out;
}

function visibilityTimeout(input: ActionInput): number {
  const v = optionalInt(input, 'VisibilityTimeout', 0, 43_200);
  if (v === undefined) throw sqsErrors.missingParameter('VisibilityTimeout');
  return v;
}

/** The Entries of a batch request, checked as SQS checks them before running any. */
function batchEntries(input: ActionInput): ActionInput[] {
  const entries = input['Entries'];
  if (entries === undefined || entries === null || (Array.isArray(entries) && entries.length === 0)) throw sqsErrors.emptyBatch();
  if (!Array.isArray(entries)) throw sqsErrors.invalidParameterValue('Entries must be a list.');
  if (entries.length > 10) throw sqsErrors.tooManyEntries(entries.length);
  const seen = new Set<string>();
  for (const e of entries as ActionInput[]) {
    const id = e?.['Id'];
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) throw sqsErrors.invalidBatchEntryId(String(id));
    if (seen.has(id)) throw sqsErrors.idsNotDistinct(id);
    seen.add(id);
  }
  return entries as ActionInput[];
}

/** Runs each entry on its own: one entry's error fails only that entry. */
function runBatch(entries: ActionInput[], run: (e: ActionInput) => Record<string, unknown>) {
  const Successful: Record<string, unknown>[] = [];
  const Failed: Record<string, unknown>[] = [];
  for (const e of entries) {
    try {
      Successful.push(run(e));
    } catch (err) {
      if (!isSqsError(err)) throw err;
      Failed.push(failedEntry(String(e['Id']), err));
    }
  }
  return { Successful, Failed };
}

function failedEntry(id: string, err: SqsError) {
  return { Id: id, SenderFault: err.fault === 'Sender', Code: err.queryCode, Message: err.message };
}
