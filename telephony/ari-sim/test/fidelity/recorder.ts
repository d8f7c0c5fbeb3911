import WebSocket from 'ws';
import type { AriSim } from '../../sim.ts';
import type { EventJson, RecordedRequest } from './trace.ts';

/** A bare ARI client: one raw websocket plus fetch, recording what it sees in the trace's format. */
export class Recorder {
  readonly events: EventJson[] = [];
  readonly requests: RecordedRequest[] = [];
  private socket: WebSocket | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly sim: AriSim) {}

  async connect(): Promise<void> {
    const socket = new WebSocket(this.sim.wsUrl());
    socket.on('message', (data) => {
      this.events.push(JSON.parse(data.toString()) as EventJson);
      for (const listener of this.listeners) listener();
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    this.socket = socket;
  }

  /** Destroys the TCP connection without a close frame (ws.terminate(), as the trace's client did). */
  terminate(): void {
    this.socket?.terminate();
    this.socket = null;
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
  }

  /** Resolves once `count(events)` reaches n, or after timeoutMs (the comparison then shows what is missing). */
  async waitUntil(count: (events: EventJson[]) => number, n: number, timeoutMs: number): Promise<void> {
    if (count(this.events) >= n) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const check = () => {
        if (count(this.events) >= n) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.listeners.add(check);
    });
  }

  async request(method: string, path: string, query: Record<string, string>, body: unknown, auth?: string): Promise<RecordedRequest> {
    const url = new URL(path, this.sim.url);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const headers: Record<string, string> = {};
    if (auth !== 'none') {
      const password = auth ? 'wrong-password' : this.sim.password;
      headers.authorization = `Basic ${Buffer.from(`${this.sim.username}:${password}`).toString('base64')}`;
    }
    if (body !== null && body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, body: body === null || body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const recorded: RecordedRequest = { method, path, query, body: body ?? null, status: response.status, response: text === '' ? null : JSON.parse(text) };
    if (auth) recorded.auth = auth;
    this.requests.push(recorded);
    return recorded;
  }
}
