import ari, { type Client as AriClient } from 'ari-client';
import type { Logger } from '../../platform/logger.ts';
import { AriGone, AriUnavailable, toAriError } from './errors.ts';
import { EventSocket } from './event-socket.ts';
import { parseChannel } from './parse-event.ts';
import { useRestTransport } from './rest-transport.ts';
import { BusyChannels } from './busy-channels.ts';
import { SocketRest } from './socket-rest.ts';
import type { AriCommand, AriEvent, BridgeInfo, ChannelInfo } from './types.ts';

export interface AriAdapterOptions {
  url: string;
  username: string;
  password: string;
  app: string;
  logger: Logger;
  /** A socket that does not answer a ping within this time is dead: it is closed and rebuilt. */
  pingIntervalMs?: number;
  /** Longest wait between two connection attempts. */
  backoffCapMs?: number;
  /** Longest a swagger load may take before the attempt counts as failed. */
  loadTimeoutMs?: number;
  /** Longest a REST request may wait for its answer before it fails with AriUnavailable. */
  commandTimeoutMs?: number;
  /** Most REST connections open at once (requests beyond wait for one); unset: no limit. */
  maxConnections?: number;
  /**
   * Send REST requests over the event websocket when this Asterisk answers them there (Asterisk 22, ws-rest.ts);
   * checked on every connection, HTTP until then and wherever it does not. Default true.
   */
  restOverWebsocket?: boolean;
  /** Rewrites what an originate dials, e.g. to reach a softphone registered on another node (nodes/registrations.ts). */
  routeEndpoint?: (endpoint: string) => string;
}

/**
 * The only user of ari-client. It loads the ARI description with ari-client (for REST commands, sent through
 * rest-transport.ts) before each connection of the event websocket (event-socket.ts), so every (re)connection
 * rebuilds the client.
 */
export class AriAdapter {
  private client: AriClient | undefined;
  private releaseTransport: (() => Promise<void>) | undefined;
  private readonly events: EventSocket;
  private readonly log: Logger;
  private readonly loadTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  /** The open socket's part in sending REST requests (answers are taken off the socket before events are parsed). */
  private socketRest: SocketRest | undefined;
  /** Channels playing a prompt or recording that this adapter started (busy-channels.ts). */
  private readonly busy = new BusyChannels();
  /**
   * The start time (GET /asterisk/info `status.startup_time`) of the Asterisk this connection reached: it tells one
   * run of Asterisk from the next, where `asterisk_id` (the entity id, a MAC address) stays the same. Undefined
   * until read, or when it could not be.
   */
  asteriskStartup: string | undefined;
  /**
   * When (this process's clock) the adapter first reached an Asterisk whose start time differs from the one it had
   * reached before: Asterisk restarted in between, and every channel from before is gone (calls/call-lost.ts).
   */
  restartedAt: number | undefined;

  constructor(private readonly options: AriAdapterOptions) {
    this.log = options.logger.child({ component: 'ari' });
    this.loadTimeoutMs = options.loadTimeoutMs ?? 10_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 5000;
    const { url, username, password, app } = options;
    this.events = new EventSocket(
      { url, username, password, app, log: this.log, pingIntervalMs: options.pingIntervalMs ?? 5000, backoffCapMs: options.backoffCapMs ?? 10_000, handshakeTimeoutMs: this.loadTimeoutMs },
      {
        prepare: () => this.prepare(),
        opened: (socket) => {
          if (options.restOverWebsocket ?? true) this.socketRest = new SocketRest(url, socket, this.commandTimeoutMs, this.log, (id) => this.busy.has(id));
        },
        claim: (message) => this.socketRest?.handle(message) ?? false,
        seen: (event) => this.busy.note(event),
        closed: () => {
          this.socketRest?.close();
          this.socketRest = undefined;
        },
      },
    );
  }

  /** True while the event websocket is open and answering pings. */
  get connected(): boolean {
    return this.events.connected;
  }

  /** Connection attempts since the last success (for logs and tests). */
  get attempts(): number {
    return this.events.attempts;
  }

  /** Why the last attempt failed (refused credentials, nothing answering, a timeout), until one succeeds. */
  get lastError(): string | null {
    return this.events.lastError;
  }

  onEvent(handler: (event: AriEvent) => void): void {
    this.events.onEvent(handler);
  }

  onConnected(handler: () => void): void {
    this.events.onConnected(handler);
  }

  onDisconnected(handler: () => void): void {
    this.events.onDisconnected(handler);
  }

  /** Starts connecting in the background; never throws, whether or not Asterisk is up. */
  start(): void {
    // Asterisk closes every HTTP connection past http.conf's sessionlimit, and a burst of calls would open one
    // per request in flight: the transport keeps at most maxConnections open.
    this.releaseTransport ??= useRestTransport(this.options.url, { username: this.options.username, password: this.options.password, maxConnections: this.options.maxConnections, timeoutMs: this.commandTimeoutMs });
    this.events.start();
  }

  /**
   * Fencing, when this controller lost the node's lease: every command fails from now on and the event websocket is
   * closed (ARI gives an app's events to every socket subscribed to it). start() connects again, as on boot.
   */
  suspend(): void {
    this.client = undefined;
    this.events.suspend();
  }

  async stop(): Promise<void> {
    await this.events.stop();
    await this.releaseTransport?.();
  }

  /** How REST requests go now: over the event websocket once Asterisk answered one there, else HTTP. */
  get restTransport(): 'http' | 'websocket' {
    return this.socketRest?.active ? 'websocket' : 'http';
  }

  /** Sends one command; rejects with an AriError subclass (errors.ts). */
  async execute(command: AriCommand): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) throw new AriUnavailable(`${command.kind}: ARI is not connected`);
    // Busy from the request on: the prompt or recording may start before its answer comes back.
    const occupies = this.busy.occupy(command);
    try {
      const route = this.options.routeEndpoint;
      await send(client, route && command.kind === 'originate' ? { ...command, endpoint: route(command.endpoint) } : command, this.options.app);
    } catch (err) {
      if (occupies) this.busy.ended(occupies);
      throw toAriError(err, command.kind);
    }
  }

  /** The channels Asterisk has now, for reconciling after a (re)connect. */
  async listChannels(): Promise<ChannelInfo[]> {
    const client = this.client;
    if (!client) throw new AriUnavailable('list channels: ARI is not connected');
    try {
      const list = (await client.channels.list()) as unknown[];
      return list.map((raw) => parseChannel(raw)).filter((c): c is ChannelInfo => c !== undefined);
    } catch (err) {
      throw toAriError(err, 'list channels');
    }
  }

  /** The bridges Asterisk has now, with their channels. */
  async listBridges(): Promise<BridgeInfo[]> {
    const client = this.requireClient('list bridges');
    try {
      const list = (await client.bridges.list()) as unknown as Array<{ id?: unknown; channels?: unknown }>;
      return list.filter((b) => typeof b.id === 'string').map((b) => ({ id: b.id as string, channelIds: Array.isArray(b.channels) ? b.channels.map(String) : [] }));
    } catch (err) {
      throw toAriError(err, 'list bridges');
    }
  }

  /** PJSIP endpoints online on this Asterisk now (a registered contact): where operators' softphones are. */
  async onlineEndpoints(): Promise<string[]> {
    const client = this.requireClient('list endpoints');
    try {
      const list = (await client.endpoints.listByTech({ tech: 'PJSIP' })) as unknown as Array<{ resource?: unknown; state?: unknown }>;
      return list.filter((e) => e.state === 'online' && typeof e.resource === 'string').map((e) => e.resource as string);
    } catch (err) {
      throw toAriError(err, 'list endpoints');
    }
  }

  /** The ids of the channels subscribed to this Stasis app (the ones in it, including those left by a stopped controller). */
  async appChannelIds(): Promise<string[]> {
    const client = this.requireClient('get application');
    try {
      const app = (await client.applications.get({ applicationName: this.options.app })) as unknown as { channel_ids?: unknown };
      return Array.isArray(app.channel_ids) ? app.channel_ids.map(String) : [];
    } catch (err) {
      throw toAriError(err, 'get application');
    }
  }

  /** Where a live recording of this name is being made (`bridge:<id>`, `channel:<id>`), or null when none is. */
  async liveRecordingTarget(name: string): Promise<string | null> {
    const client = this.requireClient('get live recording');
    try {
      const live = (await client.recordings.getLive({ recordingName: name })) as unknown as { target_uri?: unknown };
      return typeof live.target_uri === 'string' ? live.target_uri : null;
    } catch (err) {
      const mapped = toAriError(err, 'get live recording');
      if (mapped instanceof AriGone) return null;
      throw mapped;
    }
  }

  private requireClient(what: string): AriClient {
    if (!this.client) throw new AriUnavailable(`${what}: ARI is not connected`);
    return this.client;
  }

  /** Before each connection of the event socket: false when suspended meanwhile. */
  private async prepare(): Promise<boolean> {
    const client = await this.loadClient();
    if (this.events.isSuspended) return false;
    this.client = client;
    await this.identifyAsterisk(client);
    return !this.events.isSuspended;
  }

  /** Checks the description answers first: swagger-client throws from callbacks on some failures. */
  private async loadClient(): Promise<AriClient> {
    const base = this.options.url.replace(/\/$/, '');
    const auth = Buffer.from(`${this.options.username}:${this.options.password}`).toString('base64');
    const response = await fetch(`${base}/ari/api-docs/resources.json`, {
      headers: { authorization: `Basic ${auth}` },
      signal: AbortSignal.timeout(this.loadTimeoutMs),
    }).catch((err: Error & { cause?: { code?: string } }) => {
      throw new AriUnavailable(`no ARI answers at ${base} (${err.cause?.code ?? err.message})`);
    });
    if (response.status === 401) throw new AriUnavailable(`ARI at ${base} refused the credentials: check ARI_USERNAME and ARI_PASSWORD`);
    if (!response.ok) throw new AriUnavailable(`ARI at ${base} answered HTTP ${response.status} for its API description`);
    await response.arrayBuffer();
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        ari.connect(base, this.options.username, this.options.password),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new AriUnavailable(`ARI description did not load within ${this.loadTimeoutMs} ms`)), this.loadTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Reads which Asterisk this connection reached, before the socket opens: so before any command can reach a
   * restarted Asterisk and answer "Channel not found" for a channel the restart dropped. Never fails the connection
   * (calls are served without it); an unread start time is unknown, and a restart across it goes unnoticed here.
   */
  private async identifyAsterisk(client: AriClient): Promise<void> {
    let startup: string | undefined;
    try {
      const info = (await client.asterisk.getInfo()) as unknown as { status?: { startup_time?: unknown } };
      if (typeof info.status?.startup_time === 'string') startup = info.status.startup_time;
    } catch (err) {
      this.log.warn({ err: toAriError(err, 'get Asterisk info').message }, 'could not read which Asterisk this is: a restart would not be recognised');
    }
    if (startup !== undefined && this.asteriskStartup !== undefined && startup !== this.asteriskStartup) {
      this.restartedAt = Date.now();
      this.log.warn({ before: this.asteriskStartup, now: startup }, 'Asterisk restarted: its channels from before are gone');
    }
    this.asteriskStartup = startup;
  }
}

function send(client: AriClient, c: AriCommand, app: string): Promise<unknown> {
  switch (c.kind) {
    case 'answer':
      return client.channels.answer({ channelId: c.channelId });
    case 'hangup':
      return client.channels.hangup({ channelId: c.channelId });
    case 'play':
      return client.channels.play({ channelId: c.channelId, playbackId: c.playbackId, media: c.media.join(',') });
    case 'stopPlayback':
      return client.playbacks.stop({ playbackId: c.playbackId });
    case 'startMoh':
      return client.channels.startMoh({ channelId: c.channelId });
    case 'stopMoh':
      return client.channels.stopMoh({ channelId: c.channelId });
    case 'setVariable':
      return client.channels.setChannelVar({ channelId: c.channelId, variable: c.name, value: c.value });
    case 'originate':
      return client.channels.originate({
        endpoint: c.endpoint,
        app,
        appArgs: c.appArgs,
        callerId: c.callerId,
        timeout: c.timeoutSeconds,
        channelId: c.channelId,
        variables: c.variables,
      });
    case 'createBridge':
      return client.bridges.create({ bridgeId: c.bridgeId, type: 'mixing' });
    case 'addToBridge':
      return client.bridges.addChannel({ bridgeId: c.bridgeId, channel: c.channelIds.join(',') });
    case 'destroyBridge':
      return client.bridges.destroy({ bridgeId: c.bridgeId });
    case 'record':
      return client.channels.record({
        channelId: c.channelId,
        name: c.name,
        format: 'wav',
        maxDurationSeconds: c.maxSeconds,
        beep: true,
        ifExists: 'overwrite',
        terminateOn: '#',
      });
    case 'stopRecording':
      return client.recordings.stop({ recordingName: c.name });
    case 'recordBridge':
      return client.bridges.record({ bridgeId: c.bridgeId, name: c.name, format: 'wav', ifExists: 'append', beep: false, terminateOn: 'none' });
    case 'removeFromBridge':
      return client.bridges.removeChannel({ bridgeId: c.bridgeId, channel: c.channelIds.join(',') });
    case 'snoop':
      return client.channels.snoopChannelWithId({ channelId: c.channelId, snoopId: c.snoopId, spy: c.spy, whisper: c.whisper, app, appArgs: c.appArgs });
  }
}
