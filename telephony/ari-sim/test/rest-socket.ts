import WebSocket from 'ws';

export type Frame = Record<string, unknown> & { type?: string };

/** A raw client of the events websocket that keeps every frame, for the REST-over-WebSocket tests. */
export class RestSocket {
  readonly frames: Frame[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const wake of this.waiters) wake();
    });
  }

  static async open(url: string): Promise<RestSocket> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new RestSocket(ws);
  }

  send(message: object | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  responses(): Frame[] {
    return this.frames.filter((f) => f.type === 'RESTResponse');
  }

  /** The first frame (already here or still to come) that matches. */
  waitFor(match: (frame: Frame) => boolean, timeoutMs = 3000): Promise<Frame> {
    const found = this.frames.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const wake = () => {
        const frame = this.frames.find(match);
        if (!frame) return;
        this.waiters.delete(wake);
        clearTimeout(timer);
        resolve(frame);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`no matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  /** Waits until `count` RESTResponses have arrived. */
  async waitForResponses(count: number, timeoutMs = 3000): Promise<Frame[]> {
    await this.waitFor(() => this.responses().length >= count, timeoutMs).catch(() => undefined);
    return this.responses();
  }

  /** Sends one RESTRequest and waits for the response with its request_id. */
  async request(message: Frame & { request_id: string }): Promise<Frame> {
    this.send({ type: 'RESTRequest', ...message });
    return this.waitFor((f) => f.type === 'RESTResponse' && f.request_id === message.request_id);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** The parsed message_body of a RESTResponse (null when it has none). */
export const bodyOf = (frame: Frame): unknown => (typeof frame.message_body === 'string' ? JSON.parse(frame.message_body) : null);
