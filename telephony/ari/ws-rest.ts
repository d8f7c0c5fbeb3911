/**
 * ARI REST over WebSocket (Asterisk 22): a REST request sent as a `RESTRequest` message on the app's event
 * websocket, answered by a `RESTResponse` on the same socket (recorded: telephony/ari-sim/fixtures/
 * rest-over-websocket.jsonl). No HTTP request to build, send and parse per command, on either side: a call's
 * half-dozen commands cost the controller and Asterisk less, and a command's answer comes in order with the events.
 */

/** What a request came back with: the HTTP status and the body as text ('' when there is none). */
export interface WsRestAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** A request that got no answer: the socket closed, or no answer within the timeout (errors.ts reads `code`). */
export class WsRestError extends Error {
  constructor(
    message: string,
    readonly code: 'ECONNRESET' | 'ETIMEDOUT',
  ) {
    super(message);
  }
}

interface Pending {
  resolve(answer: WsRestAnswer): void;
  reject(err: Error): void;
  sentAt: number;
  uri: string;
}

/** Asterisk writes `type` first: a cheap test before parsing. Any other key order is still recognised (parsed). */
const responsePrefix = '{"type":"RESTResponse"';
const mayBeResponse = (message: string) => message.startsWith(responsePrefix) || (!message.startsWith('{"type":"') && message.includes('"RESTResponse"'));

export class WsRestChannel {
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private readonly sweep: NodeJS.Timeout;
  private closed = false;

  /** `send` writes one text message on the socket (throws if it cannot). */
  constructor(
    private readonly send: (message: string) => void,
    private readonly timeoutMs: number,
  ) {
    // One timer for every request in flight, not one per request: they are many and nearly all answered in ms.
    this.sweep = setInterval(() => this.expire(), Math.max(10, Math.min(250, timeoutMs / 4)));
    this.sweep.unref();
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Sends a request. `uri` is relative to /ari, with its query string (`channels/c1/answer`, not `/ari/…`:
   * Asterisk answers a leading slash 405).
   */
  request(method: string, uri: string, body?: { contentType: string; text: string }): Promise<WsRestAnswer> {
    if (this.closed) return Promise.reject(new WsRestError(`${method} ${uri}: the ARI websocket is closed`, 'ECONNRESET'));
    const requestId = String(this.nextId++);
    const message: Record<string, string> = { type: 'RESTRequest', request_id: requestId, method, uri };
    if (body && body.text !== '') {
      message.content_type = body.contentType;
      message.message_body = body.text;
    }
    return new Promise<WsRestAnswer>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject, sentAt: Date.now(), uri });
      try {
        this.send(JSON.stringify(message));
      } catch (err) {
        this.pending.delete(requestId);
        reject(new WsRestError(`${method} ${uri}: ${(err as Error).message}`, 'ECONNRESET'));
      }
    });
  }

  /** Takes a message off the socket if it is an answer to one of ours; false for anything else (an event). */
  handle(message: string): boolean {
    if (!mayBeResponse(message)) return false;
    let answer: { type?: unknown; request_id?: unknown; status_code?: unknown; content_type?: unknown; message_body?: unknown };
    try {
      answer = JSON.parse(message) as typeof answer;
    } catch {
      return false;
    }
    // Only a top-level RESTResponse: an event carrying the word inside (a user event's payload) stays an event.
    if (answer.type !== 'RESTResponse') return false;
    const waiting = this.pending.get(String(answer.request_id));
    // An answer to no request of ours (timed out already, or another client's id): nothing waits for it.
    if (!waiting) return true;
    this.pending.delete(String(answer.request_id));
    waiting.resolve({
      status: typeof answer.status_code === 'number' ? answer.status_code : 500,
      contentType: typeof answer.content_type === 'string' ? answer.content_type : undefined,
      body: typeof answer.message_body === 'string' ? answer.message_body : '',
    });
    return true;
  }

  /** The socket closed: every request in flight fails as on a reset connection (it may or may not have run). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweep);
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new WsRestError(`${p.uri}: the ARI websocket closed before the answer`, 'ECONNRESET'));
    }
  }

  private expire(): void {
    const now = Date.now();
    for (const [id, p] of this.pending) {
      if (now - p.sentAt < this.timeoutMs) continue;
      this.pending.delete(id);
      p.reject(new WsRestError(`${p.uri}: no answer over the ARI websocket within ${this.timeoutMs} ms`, 'ETIMEDOUT'));
    }
  }
}
