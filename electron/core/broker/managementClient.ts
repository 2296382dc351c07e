// A small client of RabbitMQ's management HTTP API: the queue, overview and node figures the
// console polls, and the "get messages" call dead-letter browsing uses. Every failure is a
// ManagementError naming what went wrong in an operator's words (401, 404, an HTML page, a
// slow or malformed answer), so the caller can show it and fall back without stopping ingest.
import { z } from 'zod';
import {
  managementNodesSchema,
  managementOverviewSchema,
  managementQueueSchema,
  type ManagementQueue,
} from '../../../shared/queueStats';
import { countText } from '../../../shared/countText';
import { safeErrorMessage } from '../redact';
import type { ManagementEndpoint } from './managementEndpoint';
import { managementReason } from './managementReason';

export type ManagementErrorKind = 'unauthorized' | 'not-found' | 'not-json' | 'malformed' | 'too-large' | 'timeout' | 'unreachable' | 'http';

export class ManagementError extends Error {
  constructor(
    readonly kind: ManagementErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The queue fields asked for (`columns` keeps answers small with many queues). */
const QUEUE_COLUMNS = [
  'name',
  'vhost',
  'type',
  'messages',
  'messages_ready',
  'messages_unacknowledged',
  'consumers',
  'consumer_utilisation',
  'consumer_capacity',
  'arguments',
  'head_message_timestamp',
  'message_stats.publish',
  'message_stats.publish_details',
  'message_stats.deliver_get',
  'message_stats.deliver_get_details',
  'message_stats.ack',
  'message_stats.ack_details',
  'message_stats.redeliver',
  'message_stats.redeliver_details',
].join(',');

export interface ManagementClientOptions {
  timeoutMs?: number;
}

const queueNamesSchema = z.array(z.object({ name: z.string() }));
const queueArgumentsSchema = z.array(
  z.object({ name: z.string(), messages: z.number().nullish(), arguments: z.record(z.string(), z.unknown()).nullish() }),
);
const bindingDestinationsSchema = z.array(z.object({ destination: z.string(), destination_type: z.string() }));
/**
 * A page of queues, each item checked on its own (queueEntry): one queue the broker (or a proxy)
 * describes oddly sent every watched queue to the passive declare, rates lost for all.
 */
const queuePageSchema = z.object({ items: z.array(z.unknown()), total_count: z.number().nonnegative().nullish() });

/** A watched queue's figures, or why its entry in the answer could not be read (the field named). */
export type QueueEntry = ManagementQueue | ManagementError;
/**
 * The largest answer read. A vhost's list of 100,000 queues with their arguments is ~20 MB;
 * something else on that port streaming without end held memory until the string overflowed
 * (1.5 GB and "broke off its answer").
 */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/** The largest page the API serves (it refuses page_size over 500). */
const LIST_PAGE = 500;
/** Queues per batched request. */
const BATCH = 50;
/**
 * Characters of a batch's encoded name filter. RabbitMQ's HTTP server refuses a request line
 * over 8,000 (414): 50 names needing much encoding (`é` is 6 characters, a dot 4) made one.
 */
const BATCH_FILTER_CHARS = 4000;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Whether `err` is RabbitMQ saying the object asked for does not exist (a 404 with its JSON
 * body), not a 404 of a server that is not the management API (a wrong address).
 */
export function isAbsentObject(err: unknown): boolean {
  return err instanceof ManagementError && err.kind === 'not-found' && /not found \(HTTP 404/.test(err.message);
}

export class ManagementClient {
  private readonly authorization: string;
  readonly timeoutMs: number;
  /** Aborted by close(): every request in flight, and any asked for after, ends at once. */
  private readonly closing = new AbortController();

  constructor(
    readonly endpoint: ManagementEndpoint,
    options: ManagementClientOptions = {},
  ) {
    this.authorization = `Basic ${Buffer.from(`${endpoint.username}:${endpoint.password}`).toString('base64')}`;
    this.timeoutMs = options.timeoutMs ?? 3000;
  }

  /**
   * Cancels the requests in flight (each rejects with a ManagementError at once, its socket
   * closed) and refuses any later one: a poller's stop does not leave a request running to its
   * timeout against an API that does not answer.
   */
  close(): void {
    this.closing.abort();
  }

  async queue(name: string, vhost = this.endpoint.vhost): Promise<ManagementQueue> {
    const q = await this.request(`/api/queues/${enc(vhost)}/${enc(name)}?columns=${QUEUE_COLUMNS}`, managementQueueSchema, `queue ${name}`);
    // Another queue's figures (a proxy rewriting paths) are not this queue's.
    if (q.name !== name || q.vhost !== vhost) {
      throw new ManagementError(
        'malformed',
        `management API at ${this.endpoint.baseUrl} answered for queue ${JSON.stringify(q.name)} in vhost ${JSON.stringify(q.vhost)} when asked for ${JSON.stringify(name)} in ${JSON.stringify(vhost)}`,
      );
    }
    return q;
  }

  /**
   * Many queues of one vhost in one request (a page of the vhost's list filtered by an exact
   * name regex): one HTTP round trip a poll instead of one per queue; for many names, the
   * vhost's list a page at a time. A queue absent from the answer does not exist.
   */
  async queues(names: readonly string[], vhost = this.endpoint.vhost): Promise<Map<string, QueueEntry>> {
    const wanted = new Set(names);
    const out = new Map<string, QueueEntry>();
    const take = (items: readonly unknown[]) => {
      for (const item of items) {
        const name = (item as { name?: unknown } | null)?.name;
        if (typeof name === 'string' && wanted.has(name)) out.set(name, this.queueEntry(item, name));
      }
    };
    const parts = batches(names);
    for (let i = 0; i < parts.length; i++) {
      const page = await this.filteredPage(parts[i], vhost);
      take(page.items);
      // The broker walks the vhost's whole list for each filtered request: with more batches
      // left than pages of that list, the list itself is fewer requests (3,000 queues: 6
      // pages, not 60 filtered requests of ~0.25 s each).
      const listPages = Math.ceil((page.total_count ?? Infinity) / LIST_PAGE);
      if (parts.length - i - 1 > listPages) {
        for (let p = 1; p <= listPages; p++) {
          const query = `page=${p}&page_size=${LIST_PAGE}&columns=${QUEUE_COLUMNS}`;
          take((await this.request(`/api/queues/${enc(vhost)}?${query}`, queuePageSchema, `queues of vhost ${vhost}, page ${p}`)).items);
        }
        // A queue the list did not show (declared, or moved to another page, while it was
        // read; or absent) is asked for by name.
        const asked = new Set(parts.slice(0, i + 1).flat());
        for (const part of batches(names.filter((n) => !out.has(n) && !asked.has(n)))) take((await this.filteredPage(part, vhost)).items);
        break;
      }
    }
    return out;
  }

  /** One item of a queue list: its figures, or a ManagementError naming the queue and the field. */
  private queueEntry(item: unknown, name: string): QueueEntry {
    const parsed = managementQueueSchema.safeParse(item);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = (issue?.path ?? []).map(String).join('.') || 'item';
    return new ManagementError(
      'malformed',
      `management API at ${this.endpoint.baseUrl} answered JSON of an unexpected shape for one queue: ${JSON.stringify(name)} ${field}: ${issue?.message ?? 'invalid'}`,
    );
  }

  private filteredPage(part: readonly string[], vhost: string): Promise<z.infer<typeof queuePageSchema>> {
    const query = `page=1&page_size=${part.length}&use_regex=true&name=${nameFilter(part)}&columns=${QUEUE_COLUMNS}`;
    return this.request(`/api/queues/${enc(vhost)}?${query}`, queuePageSchema, countText(part.length, 'queue'));
  }

  /** Names of the vhost's queues (for `payops queues` without --watch). */
  async queueNames(vhost = this.endpoint.vhost): Promise<string[]> {
    const list = await this.request(`/api/queues/${enc(vhost)}?columns=name`, queueNamesSchema, `queues of vhost ${vhost}`);
    return list.map((q) => q.name);
  }

  /** Every queue of the vhost with its depth and arguments (finding dead-letter queues: x-dead-letter-*). */
  async queueArguments(vhost = this.endpoint.vhost): Promise<z.infer<typeof queueArgumentsSchema>> {
    return this.request(`/api/queues/${enc(vhost)}?columns=name,messages,arguments`, queueArgumentsSchema, `queues of vhost ${vhost}`);
  }

  /** The queues bound to an exchange (where a dead-letter exchange delivers). */
  async queuesBoundTo(exchange: string, vhost = this.endpoint.vhost): Promise<string[]> {
    const list = await this.request(`/api/exchanges/${enc(vhost)}/${enc(exchange)}/bindings/source`, bindingDestinationsSchema, `bindings of exchange ${exchange}`);
    return list.filter((b) => b.destination_type === 'queue').map((b) => b.destination);
  }

  async overview(): Promise<z.infer<typeof managementOverviewSchema>> {
    return this.request('/api/overview?columns=node,object_totals.connections,object_totals.channels', managementOverviewSchema, 'overview');
  }

  async nodes(): Promise<z.infer<typeof managementNodesSchema>> {
    return this.request('/api/nodes?columns=name,mem_alarm,disk_free_alarm', managementNodesSchema, 'nodes');
  }

  /**
   * Reads up to `count` messages of a queue and puts them back (ackmode ack_requeue_true):
   * browsing without consuming. They return to the queue (redelivered set), nothing is lost.
   */
  async peekMessages<T>(queue: string, count: number, schema: z.ZodType<T>, vhost = this.endpoint.vhost): Promise<T> {
    const body = JSON.stringify({ count, ackmode: 'ack_requeue_true', encoding: 'auto', truncate: 1_000_000 });
    return this.request(`/api/queues/${enc(vhost)}/${enc(queue)}/get`, schema, `messages of ${queue}`, { method: 'POST', body });
  }

  /** Any other GET of the API (`path` from /api/...), with the same bounds and errors; `what` names it in them. */
  get<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T> {
    return this.request(path, schema, what);
  }

  private async request<T>(path: string, schema: z.ZodType<T>, what: string, init: { method?: string; body?: string } = {}): Promise<T> {
    const deadline = new RequestDeadline(this.timeoutMs, this.closing.signal);
    try {
      return await this.requestWithin(path, schema, what, init, deadline.signal);
    } finally {
      deadline.clear();
    }
  }

  private async requestWithin<T>(path: string, schema: z.ZodType<T>, what: string, init: { method?: string; body?: string }, signal: AbortSignal): Promise<T> {
    const url = `${this.endpoint.baseUrl}${path}`;
    const where = `management API at ${this.endpoint.baseUrl}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method ?? 'GET',
        body: init.body,
        headers: { authorization: this.authorization, accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
        signal,
      });
    } catch (err) {
      const e = err as Error;
      if (this.closing.signal.aborted) throw this.closedError(what);
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw new ManagementError('timeout', `${where} did not answer within ${this.timeoutMs} ms (${what})`);
      }
      const cause = (e as { cause?: unknown }).cause;
      throw new ManagementError('unreachable', `${where} is unreachable: ${safeErrorMessage(cause ?? e)}`);
    }
    let text: string;
    try {
      text = await readCapped(res, MAX_ANSWER_BYTES);
    } catch (err) {
      if (err instanceof AnswerTooLarge) {
        throw new ManagementError('too-large', `${where} answered more than ${MAX_ANSWER_BYTES / 1024 / 1024} MB (${what}): is this the management plugin's address?`);
      }
      const e = err as Error;
      if (this.closing.signal.aborted) throw this.closedError(what);
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw new ManagementError('timeout', `${where} did not finish its answer within ${this.timeoutMs} ms (${what})`);
      }
      throw new ManagementError('unreachable', `${where} broke off its answer: ${safeErrorMessage(e)}`);
    }
    if (res.status === 401 || res.status === 403) {
      throw new ManagementError('unauthorized', `${where} refused the credentials (HTTP ${res.status}): check the user and its management tag`);
    }
    if (res.status === 404) {
      const isJson = /^\s*\{/.test(text);
      throw new ManagementError(
        'not-found',
        isJson ? `${what} not found (HTTP 404 from the ${where})` : `${where} answered 404 for ${path.split('?')[0]}: is this the management plugin's address?`,
      );
    }
    if (!res.ok) {
      const reason = managementReason(text);
      throw new ManagementError('http', `${where} answered HTTP ${res.status} ${res.statusText} (${what})${reason ? `: ${reason}` : ''}`);
    }
    const contentType = res.headers.get('content-type') ?? '';
    if (/html/i.test(contentType) || /^\s*</.test(text)) {
      throw new ManagementError('not-json', `${where} answered an HTML page, not JSON (${what}): is this the management plugin's address?`);
    }
    if (text.trim() === '') {
      throw new ManagementError('malformed', `${where} answered an empty body, not JSON (${what}, HTTP ${res.status}): is this the management plugin's address?`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ManagementError('malformed', `${where} answered malformed JSON (${what}): ${text.slice(0, 60).replace(/\s+/g, ' ')}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ManagementError('malformed', `${where} answered JSON of an unexpected shape (${what}): ${whereInAnswer(json, issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }

  private closedError(what: string): ManagementError {
    return new ManagementError('unreachable', `request to the management API at ${this.endpoint.baseUrl} cancelled: the client was closed (${what})`);
  }
}

/**
 * The API's name filter matching exactly these names, URL-encoded. (?-i): the API matches its
 * name filter without case (3.10: QA-q and qa-q both match ^(qa-q)$), and the page holds only
 * names.length names, so a watched queue was pushed out of it by one spelled alike and
 * reported missing.
 */
function nameFilter(names: readonly string[]): string {
  return enc(`(?-i)^(${names.map(escapeRegex).join('|')})$`);
}

/** Names in batches of at most BATCH whose filter stays under BATCH_FILTER_CHARS (one long name alone may pass it). */
function batches(names: readonly string[]): string[][] {
  const out: string[][] = [];
  let part: string[] = [];
  let chars = nameFilter([]).length;
  for (const name of names) {
    // The name and its '|' (%7C) separator.
    const more = enc(escapeRegex(name)).length + 3;
    if (part.length > 0 && (part.length === BATCH || chars + more > BATCH_FILTER_CHARS)) {
      out.push(part);
      part = [];
      chars = nameFilter([]).length;
    }
    part.push(name);
    chars += more;
  }
  if (part.length > 0) out.push(part);
  return out;
}

/**
 * Where a schema issue is, with the name of the list item it is in ("orders.dlq" messages,
 * not items.1.messages: which of a thousand queues the broker described oddly).
 */
function whereInAnswer(json: unknown, path: readonly PropertyKey[]): string {
  const at = path[0] === 'items' && typeof path[1] === 'number' ? 2 : typeof path[0] === 'number' ? 1 : 0;
  const list = at === 2 ? (json as { items?: unknown }).items : json;
  const item = at > 0 && Array.isArray(list) ? (list[path[at - 1] as number] as { name?: unknown } | undefined) : undefined;
  const field = path.slice(item && typeof item.name === 'string' ? at : 0).map(String).join('.');
  if (!item || typeof item.name !== 'string') return field || 'answer';
  return `${JSON.stringify(item.name)} ${field || 'item'}`;
}

/**
 * A request's end: its timeout or the client's close, whichever comes first. Not
 * AbortSignal.any([AbortSignal.timeout(ms), closing]): Node 20's any() holds its sources
 * weakly, so a garbage collection took the timeout away and a request to an API that stopped
 * answering (or trickled its body) never ended, and the poller with it. Here the timer holds
 * the controller, the caller clears it.
 */
class RequestDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onClose = (): void => this.controller.abort(new DOMException('the client was closed', 'AbortError'));

  constructor(
    ms: number,
    private readonly closing: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
    if (closing.aborted) this.onClose();
    else closing.addEventListener('abort', this.onClose, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.closing.removeEventListener('abort', this.onClose);
  }
}

class AnswerTooLarge extends Error {}

/** The answer's text, or AnswerTooLarge (the rest left unread) once it passes `max` bytes. */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLarge();
    }
    chunks.push(value);
  }
  // TextDecoder, as Response.text() did: a leading byte-order mark is dropped.
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
