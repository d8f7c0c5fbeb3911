import type { WebSocket } from 'ws';
import type { EventBus, HotlineEvent } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Actor } from '../../platform/user-roles.ts';
import type { SessionStore } from '../auth/session-store.ts';
import { audienceIncludes } from './audience.ts';
import type { ConsoleWatch } from './console-watch.ts';

interface Connection {
  socket: WebSocket;
  actor: Actor;
  token: string;
  sessionKey: string;
  /** While replaying, live events wait here so nothing arrives out of order. */
  pending: HotlineEvent[] | undefined;
  /** The last event id sent, parsed once (comparing stream ids as text would need BigInt per socket per event). */
  lastSent: StreamPosition | undefined;
  alive: boolean;
}

export interface HubOptions {
  /** How often sessions of open sockets are re-checked (sign-out elsewhere, deactivation, expiry) and dead sockets dropped. */
  checkIntervalMs?: number;
  /** A socket whose unsent data exceeds this is closed; the console reconnects and resumes. */
  maxBufferedBytes?: number;
  /** Told when an operator's socket opens and closes (a console lost too long is paused). */
  consoleWatch?: ConsoleWatch;
}

const closeCodes = { sessionEnded: 4401, tooSlow: 4408 } as const;

/**
 * Delivers realtime events to the websockets of this process: each event from the EventBus (any process)
 * goes only to connected users of its court whom its audience names. Reconnecting consoles resume
 * from their last event id, or are told to resync.
 */
export class RealtimeHub {
  private readonly byCourt = new Map<string, Set<Connection>>();
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: EventBus,
    private readonly sessions: SessionStore,
    private readonly logger: Logger,
    private readonly options: HubOptions = {},
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.events.subscribe((event) => this.deliver(event));
    this.timer = setInterval(() => void this.check(), this.options.checkIntervalMs ?? 15_000);
    this.timer.unref();
  }

  get connectionCount(): number {
    let n = 0;
    for (const set of this.byCourt.values()) n += set.size;
    return n;
  }

  async attach(socket: WebSocket, actor: Actor, token: string, sessionKey: string, lastEventId: string | undefined): Promise<void> {
    const connection: Connection = { socket, actor, token, sessionKey, pending: [], lastSent: lastEventId ? positionOf(lastEventId) : undefined, alive: true };
    const court = this.byCourt.get(actor.courtId) ?? new Set();
    this.byCourt.set(actor.courtId, court);
    court.add(connection);
    const watch = actor.role === 'operator' ? this.options.consoleWatch : undefined;
    // Not awaited: the command is queued now, so a close right after it is counted after it (one connection, in order).
    void watch?.connected(actor.userId).catch((err: Error) => this.logger.warn({ err: err.message }, 'console watch: connect not recorded'));
    socket.on('close', () => {
      court.delete(connection);
      void watch?.disconnected(actor.userId).catch((err: Error) => this.logger.warn({ err: err.message }, 'console watch: disconnect not recorded'));
    });
    socket.on('error', () => socket.terminate());
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', () => undefined); // consoles have nothing to say on this channel; pings are protocol-level
    this.sendRaw(connection, { type: 'hello', data: { userId: actor.userId, role: actor.role, courtId: actor.courtId } });

    if (lastEventId) {
      const replay = await this.events.replay(actor.courtId, lastEventId).catch((err: Error) => {
        this.logger.warn({ err: err.message }, 'replay failed');
        return { events: [], complete: false };
      });
      if (replay.complete) for (const event of replay.events) this.send(connection, event);
      else this.sendRaw(connection, { type: 'resync', data: { reason: 'missed events are no longer buffered' } });
    }
    const waiting = connection.pending ?? [];
    connection.pending = undefined;
    for (const event of waiting) this.send(connection, event);
  }

  /** Closes this process's sockets of a session (sign-out). */
  closeSession(sessionKey: string): void {
    for (const court of this.byCourt.values()) {
      for (const connection of court) if (connection.sessionKey === sessionKey) connection.socket.close(closeCodes.sessionEnded, 'session ended');
    }
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.timer);
    for (const court of this.byCourt.values()) for (const connection of court) connection.socket.close(1001, 'server stopping');
    this.byCourt.clear();
  }

  /**
   * The hot path: one event to every socket of its court that its audience names. Per event: the frame is
   * serialized once and the id parsed once; per socket: an audience check, an order check on two numbers and
   * a synchronous ws send of the shared buffer (no await, no JSON, no session lookup — sessions are re-checked
   * on the timer, and sign-out closes the sockets at once).
   */
  private deliver(event: HotlineEvent): void {
    const court = this.byCourt.get(event.courtId);
    if (!court) return;
    const position = positionOf(event.id);
    const roles = event.audience.roles;
    const userIds = event.audience.userIds && event.audience.userIds.length > 8 ? new Set(event.audience.userIds) : event.audience.userIds;
    let frame: Buffer | undefined;
    for (const connection of court) {
      const { actor } = connection;
      const named = roles?.includes(actor.role) || (userIds instanceof Set ? userIds.has(actor.userId) : userIds?.includes(actor.userId));
      if (!named) continue;
      if (connection.pending) connection.pending.push(event);
      else this.sendAt(connection, position, (frame ??= frameOf(event)));
    }
  }

  /** Replayed or held-back events: checked against the audience one by one. */
  private send(connection: Connection, event: HotlineEvent): void {
    if (!audienceIncludes(event.audience, connection.actor)) return;
    this.sendAt(connection, positionOf(event.id), frameOf(event));
  }

  private sendAt(connection: Connection, position: StreamPosition, frame: Buffer): void {
    // Replay and live delivery can overlap; ids are ordered within a court, so skip what was sent.
    if (connection.lastSent && !after(position, connection.lastSent)) return;
    connection.lastSent = position;
    this.sendRaw(connection, frame);
  }

  private sendRaw(connection: Connection, message: object | Buffer): void {
    const { socket } = connection;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > (this.options.maxBufferedBytes ?? 1024 * 1024)) {
      this.logger.warn({ userId: connection.actor.userId }, 'closing a websocket that cannot keep up');
      socket.close(closeCodes.tooSlow, 'too slow: reconnect and resume');
      return;
    }
    if (Buffer.isBuffer(message)) socket.send(message, { binary: false });
    else socket.send(JSON.stringify(message));
  }

  private async check(): Promise<void> {
    for (const court of this.byCourt.values()) {
      for (const connection of court) {
        if (!connection.alive) {
          connection.socket.terminate();
          continue;
        }
        connection.alive = false;
        connection.socket.ping();
        const session = await this.sessions.authenticate(connection.token).catch(() => connection);
        if (!session) connection.socket.close(closeCodes.sessionEnded, 'session ended');
      }
    }
  }
}

/** A stream id "<ms>-<seq>" as two numbers (ms since 1970 and a sequence both fit a double exactly). */
type StreamPosition = readonly [number, number];

function positionOf(id: string): StreamPosition {
  const dash = id.indexOf('-');
  return [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
}

function after(a: StreamPosition, b: StreamPosition): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
}

/** What a console receives for an event: `{id, type, at, data}` as a UTF-8 text frame's payload. */
function frameOf(event: HotlineEvent): Buffer {
  return Buffer.from(JSON.stringify({ id: event.id, type: event.type, at: event.at, data: event.data }));
}
