import WebSocket from 'ws';
import type { Logger } from '../../platform/logger.ts';
import { backoffDelay } from './backoff.ts';
import { parseAriMessage } from './parse-event.ts';
import type { AriEvent } from './types.ts';

export interface EventSocketOptions {
  url: string;
  username: string;
  password: string;
  app: string;
  log: Logger;
  /** A socket that does not answer a ping within this time is dead: it is closed and rebuilt. */
  pingIntervalMs: number;
  /** Longest wait between two connection attempts. */
  backoffCapMs: number;
  handshakeTimeoutMs: number;
}

/** What the adapter does around the socket; all but prepare run synchronously from the socket's own callbacks. */
export interface EventSocketHooks {
  /** Runs before each attempt to open (loads the client); false when the socket was suspended meanwhile. A throw fails the attempt. */
  prepare(): Promise<boolean>;
  /** The socket opened, after the connected handlers ran. */
  opened(socket: WebSocket): void;
  /** Takes a message that is not an event (a REST answer): true when it did. Runs even while suspended. */
  claim(message: string): boolean;
  /** Sees each event before the handlers do. */
  seen(event: AriEvent): void;
  /** The socket closed, before the disconnected handlers run. */
  closed(): void;
}

type EventHandler = (event: AriEvent) => void;
type StateHandler = () => void;

/**
 * The ARI event websocket, run here rather than by ari-client, whose loop crashes the process on a malformed
 * message and gives up for good after WebSocketMaxRetries: it connects, retries forever with capped backoff, closes
 * a socket that misses a ping (it is rebuilt), and hands each parsed event to the handlers.
 */
export class EventSocket {
  private socket: WebSocket | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  /** Set while another controller holds this node (nodes/): no socket until start() again. */
  private suspended = false;
  private resumed: (() => void) | undefined;
  private readonly eventHandlers = new Set<EventHandler>();
  private readonly connectedHandlers = new Set<StateHandler>();
  private readonly disconnectedHandlers = new Set<StateHandler>();
  /** True while the socket is open and answering pings. */
  connected = false;
  /** Connection attempts since the last success (for logs and tests). */
  attempts = 0;
  /** Why the last attempt failed (refused credentials, nothing answering, a timeout), until one succeeds. */
  lastError: string | null = null;

  constructor(
    private readonly options: EventSocketOptions,
    private readonly hooks: EventSocketHooks,
  ) {}

  get isSuspended(): boolean {
    return this.suspended;
  }

  onEvent(handler: EventHandler): void {
    this.eventHandlers.add(handler);
  }

  onConnected(handler: StateHandler): void {
    this.connectedHandlers.add(handler);
  }

  onDisconnected(handler: StateHandler): void {
    this.disconnectedHandlers.add(handler);
  }

  start(): void {
    this.suspended = false;
    this.resumed?.();
    this.running ??= this.run();
  }

  suspend(): void {
    this.suspended = true;
    this.connected = false;
    this.socket?.terminate();
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    this.resumed?.();
    this.socket?.terminate();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.suspended) {
        await new Promise<void>((resolve) => (this.resumed = resolve));
        this.resumed = undefined;
        continue;
      }
      this.attempts++;
      let wasOpen = false;
      try {
        if (!(await this.hooks.prepare())) continue;
        // stop() during prepare found no socket to close: opening one now would outlive it.
        if (this.stopped) break;
        wasOpen = await this.open();
      } catch (err) {
        // One line when ARI goes or the reason changes; the same failure again is only a debug line.
        const reason = (err as Error).message;
        const level = reason === this.lastError ? 'debug' : 'warn';
        this.options.log[level]({ attempt: this.attempts, url: this.options.url, err: reason }, 'ARI connection attempt failed: retrying quietly until it answers');
        this.lastError = reason;
      }
      if (wasOpen) this.attempts = 0;
      if (this.stopped) break;
      const delay = backoffDelay(Math.max(1, this.attempts), 250, this.options.backoffCapMs);
      this.options.log.debug({ attempt: this.attempts + 1, delayMs: delay }, 'reconnecting to ARI');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Resolves when the socket closes: true if it had opened, false if it never did. */
  private open(): Promise<boolean> {
    const { url, app, log } = this.options;
    return new Promise((resolve) => {
      const socket = new WebSocket(eventsUrl(this.options), { handshakeTimeout: this.options.handshakeTimeoutMs });
      this.socket = socket;
      let opened = false;
      let alive = true;
      let pinger: NodeJS.Timeout | undefined;
      socket.on('open', () => {
        if (this.suspended || this.stopped) return void socket.terminate();
        opened = true;
        this.connected = true;
        log.info({ url, app, after: this.lastError ?? undefined }, 'ARI connected');
        this.lastError = null;
        pinger = setInterval(() => {
          if (!alive) {
            log.warn('ARI websocket did not answer a ping: closing it');
            socket.terminate();
            return;
          }
          alive = false;
          socket.ping();
        }, this.options.pingIntervalMs);
        this.emitState(this.connectedHandlers);
        this.hooks.opened(socket);
      });
      socket.on('pong', () => (alive = true));
      socket.on('message', (data) => {
        alive = true;
        this.dispatch(data.toString());
      });
      socket.on('error', (err) => log.warn({ err: err.message }, 'ARI websocket error'));
      socket.on('close', (code) => {
        clearInterval(pinger);
        this.socket = undefined;
        this.hooks.closed();
        if (opened) {
          this.connected = false;
          log.warn({ code }, 'ARI websocket closed');
          this.emitState(this.disconnectedHandlers);
        }
        resolve(opened);
      });
    });
  }

  private dispatch(message: string): void {
    if (this.hooks.claim(message)) return;
    if (this.suspended) return;
    const parsed = parseAriMessage(message);
    if (!parsed.ok) {
      if (!parsed.ignored) this.options.log.warn({ reason: parsed.reason, message: message.slice(0, 200) }, 'skipped a malformed ARI event');
      return;
    }
    this.hooks.seen(parsed.event);
    for (const handler of this.eventHandlers) {
      try {
        handler(parsed.event);
      } catch (err) {
        this.options.log.error({ err, type: parsed.event.type }, 'ARI event handler failed');
      }
    }
  }

  private emitState(handlers: Set<StateHandler>): void {
    for (const handler of handlers) {
      try {
        handler();
      } catch (err) {
        this.options.log.error({ err }, 'ARI connection handler failed');
      }
    }
  }
}

function eventsUrl(o: Pick<EventSocketOptions, 'url' | 'app' | 'username' | 'password'>): URL {
  const base = new URL(o.url);
  const url = new URL('/ari/events', base);
  url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('app', o.app);
  url.searchParams.set('api_key', `${o.username}:${o.password}`);
  url.searchParams.set('subscribeAll', 'false');
  return url;
}
