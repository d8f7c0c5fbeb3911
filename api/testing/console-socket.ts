import WebSocket from 'ws';

export interface ConsoleMessage {
  id?: string;
  type: string;
  at?: string;
  data: any;
}

/** A test console: a websocket to /api/realtime that records what it receives. */
export class ConsoleSocket {
  readonly messages: ConsoleMessage[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => this.messages.push(JSON.parse(String(raw)) as ConsoleMessage));
  }

  /** Opens as the console in a browser would: with the session cookie and the console's own `Origin` (or `origin`). */
  static open(baseUrl: string, cookie: string | undefined, lastEventId?: string, origin: string | null = new URL(baseUrl).origin): Promise<ConsoleSocket> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/realtime${lastEventId ? `?lastEventId=${encodeURIComponent(lastEventId)}` : ''}`;
    const socket = new WebSocket(url, { headers: { ...(cookie ? { cookie } : {}) }, ...(origin ? { origin } : {}) });
    const console = new ConsoleSocket(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(console));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  /** Resolves with the first message matching, waiting up to `timeoutMs`. */
  async next(predicate: (m: ConsoleMessage) => boolean, timeoutMs = 3000): Promise<ConsoleMessage> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.messages.find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => m.type))}`);
  }

  closed(): Promise<number> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) resolve(-1);
      else this.socket.once('close', (code) => resolve(code));
    });
  }

  close(): void {
    this.socket.close();
  }
}
