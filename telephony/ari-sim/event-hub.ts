import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { ariTimestamp } from './format.ts';
import { ResponseOrder } from './response-order.ts';
import type { AriEvent, AriEventType } from './types.ts';

/** Fields Asterisk puts before `type` and `timestamp` for some event types. */
const LEADING_KEYS: Partial<Record<AriEventType, readonly string[]>> = {
  ChannelVarset: ['variable', 'value'],
  ChannelHangupRequest: ['cause', 'soft', 'tech_cause'],
};

/** One emitted event with the app it was meant for and whether a websocket got it. */
export interface EmittedEvent {
  app: string;
  event: AriEvent;
  delivered: boolean;
}

export interface WaitForOptions {
  timeoutMs?: number;
  /** Also match events emitted before the call (from the retained log). Default false. */
  includePast?: boolean;
}

/**
 * Builds event envelopes in Asterisk's key order, keeps a bounded log, and delivers each event to the
 * websockets of its Stasis app. An app with no websocket is deactivated: its events are lost, as in Asterisk.
 */
export class EventHub extends EventEmitter {
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private readonly log: EmittedEvent[] = [];
  /** Sockets whose link is frozen: nothing is read from them (pings go unanswered) and nothing is sent. */
  private readonly frozen = new WeakSet<WebSocket>();
  /** Which events wait for a REST response (response-order.ts). */
  readonly order = new ResponseOrder();

  constructor(
    readonly asteriskId: string,
    private readonly logLimit: number,
  ) {
    super();
    this.setMaxListeners(0);
  }

  attach(app: string, socket: WebSocket): void {
    let set = this.sockets.get(app);
    if (!set) this.sockets.set(app, (set = new Set()));
    set.add(socket);
  }

  detach(app: string, socket: WebSocket): void {
    this.sockets.get(app)?.delete(socket);
  }

  isActive(app: string): boolean {
    return (this.sockets.get(app)?.size ?? 0) > 0;
  }

  /** Destroys the TCP connections of the app's websockets (or all apps'), without a close frame. */
  dropSockets(app?: string): number {
    let dropped = 0;
    for (const [name, set] of this.sockets) {
      if (app !== undefined && name !== app) continue;
      for (const socket of set) {
        socket.terminate();
        dropped += 1;
      }
      set.clear();
    }
    return dropped;
  }

  /**
   * Freezes the app's websockets (or all apps') without closing them, as a dead NAT or a hung Asterisk
   * would: pings get no pong and events are no longer sent (they are lost). Returns how many.
   */
  freezeSockets(app?: string): number {
    let frozen = 0;
    for (const [name, set] of this.sockets) {
      if (app !== undefined && name !== app) continue;
      for (const socket of set) {
        socket.pause();
        this.frozen.add(socket);
        frozen += 1;
      }
    }
    return frozen;
  }

  /** Sends a text frame as is (for malformed events) to the app's live websockets; returns how many got it. */
  sendRaw(app: string, text: string): number {
    let sent = 0;
    for (const socket of this.sockets.get(app) ?? []) {
      if (this.frozen.has(socket) || socket.readyState !== socket.OPEN) continue;
      socket.send(text);
      sent += 1;
    }
    return sent;
  }

  /** Sends a text frame to one socket unless it is closed or frozen (a RESTResponse). */
  sendTo(socket: WebSocket, text: string): void {
    if (socket.readyState === socket.OPEN && !this.frozen.has(socket)) socket.send(text);
  }

  /** Closes every websocket with a close frame (Asterisk shutting down). */
  closeAll(): void {
    for (const set of this.sockets.values()) {
      for (const socket of set) socket.close(1001, 'Asterisk shutting down');
      set.clear();
    }
  }

  emitEvent(app: string | null, type: AriEventType, fields: Record<string, unknown>): AriEvent | null {
    if (app === null) return null;
    const leading = LEADING_KEYS[type] ?? [];
    const event: Record<string, unknown> = {};
    for (const key of leading) if (fields[key] !== undefined) event[key] = fields[key];
    event.type = type;
    event.timestamp = ariTimestamp();
    for (const [key, value] of Object.entries(fields)) {
      if (!leading.includes(key) && value !== undefined) event[key] = value;
    }
    event.asterisk_id = this.asteriskId;
    event.application = app;
    const ariEvent = event as unknown as AriEvent;
    const sockets = this.sockets.get(app);
    const delivered = (sockets?.size ?? 0) > 0;
    if (sockets && delivered) {
      const text = JSON.stringify(ariEvent);
      const targets = [...sockets];
      this.order.deliver(() => {
        for (const socket of targets) if (socket.readyState === socket.OPEN && !this.frozen.has(socket)) socket.send(text);
      });
    }
    const entry = { app, event: ariEvent, delivered };
    this.log.push(entry);
    // Trim in batches so a full log costs O(1) per event on average.
    if (this.log.length > this.logLimit + Math.max(16, this.logLimit >> 2)) this.log.splice(0, this.log.length - this.logLimit);
    this.emit('event', entry);
    return ariEvent;
  }

  events(): readonly EmittedEvent[] {
    return this.log.length > this.logLimit ? this.log.slice(this.log.length - this.logLimit) : this.log;
  }

  waitFor(
    type: AriEventType | '*',
    predicate: (event: AriEvent) => boolean = () => true,
    options: WaitForOptions = {},
  ): Promise<AriEvent> {
    const matches = (entry: EmittedEvent) => (type === '*' || entry.event.type === type) && predicate(entry.event);
    if (options.includePast) {
      const past = this.log.find(matches);
      if (past) return Promise.resolve(past.event);
    }
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const onEvent = (entry: EmittedEvent) => {
        if (!matches(entry)) return;
        clearTimeout(timer);
        this.off('event', onEvent);
        resolve(entry.event);
      };
      const timer = setTimeout(() => {
        this.off('event', onEvent);
        reject(new Error(`ari-sim: no ${type} event matched within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('event', onEvent);
    });
  }
}
