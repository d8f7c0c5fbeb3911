import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { resolveOptions, type AriSimOptions, type ResolvedOptions } from './config.ts';
import { EventHub, type EmittedEvent, type WaitForOptions } from './event-hub.ts';
import { SimAsterisk } from './model/asterisk.ts';
import { placeInboundCall } from './model/calls.ts';
import { CallHandle, EndpointControl } from './script.ts';
import { buildAriServer } from './server.ts';
import type { AriEvent, AriEventType, BridgeJson, ChannelJson } from './types.ts';

export interface PlaceCallOptions {
  /** Caller number (default +15551230000) and name (default `PSTN caller`). */
  from?: string;
  fromName?: string;
  /** Number dialled (default 12368). */
  to?: string;
  /** Stasis app the dialplan sends the call to (default: the sim's app). */
  app?: string;
}

/** A stand-in Asterisk 22 speaking ARI on 127.0.0.1, with a scripting API for tests, benchmarks and the demo. */
export class AriSim {
  private server: FastifyInstance | null = null;
  private current: SimAsterisk;
  private port: number;
  private callSeq = 0;
  private served = false;
  readonly hub: EventHub;

  private constructor(readonly options: ResolvedOptions) {
    this.hub = new EventHub(options.asteriskId, options.eventLogLimit);
    this.current = new SimAsterisk(options, this.hub);
    this.port = options.port;
  }

  static async start(options: AriSimOptions = {}): Promise<AriSim> {
    const sim = new AriSim(resolveOptions(options));
    await sim.startAsterisk();
    return sim;
  }

  /** Base URL for ari-client and REST calls, e.g. `http://127.0.0.1:40123` (ARI lives under `/ari`). */
  get url(): string {
    return `http://${this.options.host}:${this.port}`;
  }

  get username(): string {
    return this.options.username;
  }

  get password(): string {
    return this.options.password;
  }

  get app(): string {
    return this.options.app;
  }

  /** The events websocket URL for an app, with credentials. */
  wsUrl(app: string = this.options.app): string {
    const key = `${encodeURIComponent(this.username)}:${encodeURIComponent(this.password)}`;
    return `ws://${this.options.host}:${this.port}/ari/events?app=${encodeURIComponent(app)}&api_key=${key}&subscribeAll=false`;
  }

  /** The running Asterisk's state (for advanced scripting; most tests need only the methods below). */
  get asterisk(): SimAsterisk {
    return this.current;
  }

  get running(): boolean {
    return this.server !== null;
  }

  /** A PSTN caller dials the hotline. Resolves after StasisStart, or with `accepted: false` (603) when the app is not connected. */
  async placeCall(options: PlaceCallOptions = {}): Promise<CallHandle> {
    if (!this.server) throw new Error('ari-sim: Asterisk is down');
    this.callSeq += 1;
    const result = placeInboundCall(this.current, options.app ?? this.options.app, {
      from: options.from ?? '+15551230000',
      fromName: options.fromName ?? 'PSTN caller',
      to: options.to ?? '12368',
      callId: `${this.callSeq}-${process.pid}@127.0.0.1`,
    });
    return result.accepted ? new CallHandle(this.current, result.channel, result.channel.name) : new CallHandle(this.current, null, result.name);
  }

  /** Controls a PJSIP endpoint by name; an unknown name is created offline (call `register()` to make it dialable). */
  endpoint(name: string): EndpointControl {
    return new EndpointControl(() => this.current, name);
  }

  /** Destroys the app's websocket connections without a close frame (as when the controller dies); returns how many. */
  dropWebsocket(app?: string): number {
    return this.hub.dropSockets(app);
  }

  /** Freezes the app's websockets without closing them: pings go unanswered, events are lost; returns how many. */
  freezeWebsocket(app?: string): number {
    return this.hub.freezeSockets(app);
  }

  /** Sends a raw text frame (e.g. a malformed event) on the app's websockets; returns how many got it. */
  sendRawFrame(text: string, app: string = this.options.app): number {
    return this.hub.sendRaw(app, text);
  }

  isConnected(app: string = this.options.app): boolean {
    return this.hub.isActive(app);
  }

  /** Asterisk stops: every connection is cut and all calls are gone; nothing answers on the port until startAsterisk(). */
  async stopAsterisk(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.hub.dropSockets();
    this.current.shutdown();
    await server.close();
  }

  /** Asterisk starts (again) on the same port with empty state and counters from zero. */
  async startAsterisk(): Promise<void> {
    if (this.server) return;
    if (this.served) this.current = new SimAsterisk(this.options, this.hub);
    this.served = true;
    const server = await buildAriServer({ asterisk: () => this.current, hub: this.hub, username: this.username, password: this.password });
    const limit = this.options.sessionLimit;
    if (limit !== null) {
      let open = 0;
      server.server.on('connection', (socket: Socket) => {
        if (open >= limit) return void socket.destroy();
        open++;
        socket.once('close', () => open--);
      });
    }
    await server.listen({ host: this.options.host, port: this.port });
    const address = server.server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
  }

  /** stopAsterisk(), wait downMs (default 0), startAsterisk(). */
  async restartAsterisk(options: { downMs?: number } = {}): Promise<void> {
    await this.stopAsterisk();
    if (options.downMs) await new Promise((resolve) => setTimeout(resolve, options.downMs));
    await this.startAsterisk();
  }

  channels(): ChannelJson[] {
    return [...this.current.channels.values()].map((c) => this.current.channelJson(c));
  }

  bridges(): BridgeJson[] {
    return [...this.current.bridges.values()].map((b) => b.toJson());
  }

  /** Every event emitted (most recent `eventLogLimit`), with its app and whether a websocket received it. */
  events(): readonly EmittedEvent[] {
    return this.hub.events();
  }

  /** Resolves with the next event of that type (`'*'`: any) matching the predicate; rejects after timeoutMs (default 5000). */
  waitFor(type: AriEventType | '*', predicate?: (event: AriEvent) => boolean, options?: WaitForOptions): Promise<AriEvent> {
    return this.hub.waitFor(type, predicate, options);
  }

  /** Subscribes to every emitted event; returns an unsubscribe function. */
  onEvent(listener: (entry: EmittedEvent) => void): () => void {
    this.hub.on('event', listener);
    return () => this.hub.off('event', listener);
  }

  /** Stops the server and every timer. */
  async stop(): Promise<void> {
    await this.stopAsterisk();
    this.hub.removeAllListeners();
  }
}

export const startAriSim = (options?: AriSimOptions): Promise<AriSim> => AriSim.start(options);
