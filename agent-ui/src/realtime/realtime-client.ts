/**
 * The console's websocket to /api/realtime (docs/api.md): reconnects with growing delays and resumes
 * from the last event id it saw, so nothing published while it was away is missed; when the server can
 * no longer replay that far it sends `resync` and the pages reload their data over HTTP.
 */
export interface RealtimeEvent {
  id?: string;
  type: string;
  at?: string;
  data: Record<string, unknown>;
}

export type RealtimeStatus = 'connecting' | 'open' | 'closed';

export interface RealtimeHandlers {
  onEvent: (event: RealtimeEvent) => void;
  onStatus: (status: RealtimeStatus) => void;
  /** The server closed the socket because the session ended (4401): sign in again. */
  onSessionEnded: () => void;
}

const sessionEndedCode = 4401;
const maxDelayMs = 15_000;

export class RealtimeClient {
  private socket: WebSocket | undefined;
  private lastEventId: string | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly handlers: RealtimeHandlers,
    private readonly baseUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/realtime`,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000);
    this.socket = undefined;
  }

  private connect(): void {
    this.handlers.onStatus('connecting');
    const url = this.lastEventId ? `${this.baseUrl}?lastEventId=${encodeURIComponent(this.lastEventId)}` : this.baseUrl;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.handlers.onStatus('open');
    };
    socket.onmessage = (message) => {
      const event = parse(message.data);
      if (!event) return;
      if (event.id) this.lastEventId = event.id;
      this.handlers.onEvent(event);
    };
    socket.onclose = (close) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.handlers.onStatus('closed');
      if (close.code === sessionEndedCode) return this.handlers.onSessionEnded();
      if (!this.stopped) this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    // 0.5 s, 1 s, 2 s … up to 15 s, with jitter so a room of consoles does not reconnect in step.
    const delay = Math.min(maxDelayMs, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }
}

function parse(data: unknown): RealtimeEvent | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const event = JSON.parse(data) as RealtimeEvent;
    return typeof event.type === 'string' ? { ...event, data: event.data ?? {} } : undefined;
  } catch {
    return undefined;
  }
}
