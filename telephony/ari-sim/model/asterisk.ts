import type { EndpointBehavior, EndpointConfig, ResolvedOptions } from '../config.ts';
import type { EventHub } from '../event-hub.ts';
import { ariTimestamp, uuid } from '../format.ts';
import type { AriEventType, CallerIdJson, ChannelState, DialplanJson, LiveRecordingJson } from '../types.ts';
import { SimBridge } from './bridge.ts';
import { SimChannel, type ChannelKind } from './channel.ts';

export interface SimEndpoint {
  name: string;
  online: boolean;
  behavior: EndpointBehavior | null;
  context: string;
}

export interface SimPlayback {
  id: string;
  mediaUri: string;
  target: { kind: 'channel' | 'bridge'; id: string };
  state: 'queued' | 'playing' | 'paused' | 'done' | 'failed' | 'canceled';
  timer: NodeJS.Timeout | null;
  app: string | null;
}

export interface SimLiveRecording {
  json: LiveRecordingJson;
  target: { kind: 'channel' | 'bridge'; id: string };
  startedAt: number;
  app: string | null;
  terminateOn: string;
  /** What stopping does with a stored recording of the same name: `append` adds this take to it. */
  ifExists: 'fail' | 'overwrite' | 'append';
  timer: NodeJS.Timeout | null;
}

/**
 * The state of one running Asterisk: channels, bridges, playbacks, recordings, endpoints and apps.
 * Operations live in the sibling modules (calls, dialing, bridging, media); they all go through here
 * to allocate ids and emit events.
 */
export class SimAsterisk {
  readonly startupTime = ariTimestamp();
  readonly channels = new Map<string, SimChannel>();
  readonly bridges = new Map<string, SimBridge>();
  readonly playbacks = new Map<string, SimPlayback>();
  readonly liveRecordings = new Map<string, SimLiveRecording>();
  readonly storedRecordings = new Map<string, { name: string; format: string; durationMs: number }>();
  readonly endpoints = new Map<string, SimEndpoint>();
  /**
   * Registered apps. Asterisk keeps an app whose websocket went, deactivated, only while it still holds channels
   * or bridges; then it is destroyed (GET /applications no longer lists it, GET /applications/{app} is 404).
   */
  readonly apps = new Set<string>();
  /** Running modules a client may reload (PUT /asterisk/modules/{name}); the ones the hotline's configuration uses. */
  readonly modules = new Set(['res_pjsip.so', 'chan_pjsip.so', 'pbx_config.so', 'res_ari.so', 'res_stasis.so', 'app_stasis.so', 'res_musiconhold.so', 'cdr_custom.so', 'res_http_websocket.so']);
  /** ARI's `status.last_reload_time`: the start, then the last successful module reload. */
  lastReloadTime = this.startupTime;
  /** Every successful module reload, in order, for tests. */
  readonly reloads: { module: string; at: string }[] = [];
  private channelSeq = 0;
  private nameSeq = 0;
  private recorderSeq = 0;
  private snoopSeq = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly options: ResolvedOptions,
    readonly hub: EventHub,
  ) {
    for (const endpoint of options.endpoints) this.addEndpoint(endpoint);
  }

  addEndpoint(config: EndpointConfig): SimEndpoint {
    const endpoint: SimEndpoint = {
      name: config.name,
      online: config.online,
      behavior: config.behavior ?? null,
      context: config.context ?? (config.name === 'trunk' ? 'from-pstn' : 'internal'),
    };
    this.endpoints.set(config.name, endpoint);
    return endpoint;
  }

  endpointBehavior(endpoint: SimEndpoint): EndpointBehavior {
    return endpoint.behavior ?? this.options.defaultBehavior;
  }

  /** Channel id `<epoch-seconds>.<n>`: n counts every channel since start. Names use a separate hex counter. */
  newChannel(init: {
    kind: ChannelKind;
    endpoint: string;
    protocolId?: string;
    caller?: CallerIdJson;
    dialplan: DialplanJson;
    state: ChannelState;
    id?: string;
    name?: string;
  }): SimChannel {
    const id = init.id ?? `${Math.floor(Date.now() / 1000)}.${this.channelSeq}`;
    this.channelSeq += 1;
    const name = init.name ?? this.allocateChannelName(init.endpoint);
    const channel = new SimChannel(
      id,
      name,
      init.kind,
      init.endpoint,
      init.protocolId ?? uuid(),
      init.caller ?? { name: '', number: '' },
      init.dialplan,
      ariTimestamp(),
      init.state,
    );
    this.channels.set(id, channel);
    return channel;
  }

  /** A declined inbound call still uses a channel name and id number, as in Asterisk. */
  allocateChannelName(endpoint: string): string {
    const name = `PJSIP/${endpoint}-${this.nameSeq.toString(16).padStart(8, '0')}`;
    this.nameSeq += 1;
    return name;
  }

  /** Snoop channels: `Snoop/<snooped channel id>-<8 hex>`, their own counter (the channel id counter is shared). */
  allocateSnoopName(targetId: string): string {
    const name = `Snoop/${targetId}-${this.snoopSeq.toString(16).padStart(8, '0')}`;
    this.snoopSeq += 1;
    return name;
  }

  skipChannelId(): void {
    this.channelSeq += 1;
  }

  nextRecorderName(): string {
    const name = `Recorder/ARI-${this.recorderSeq.toString(16).padStart(8, '0')};2`;
    this.recorderSeq += 1;
    return name;
  }

  channelJson(channel: SimChannel) {
    return channel.toJson(this.options.channelvars);
  }

  /** Emits a channel event to the channel's app; extra fields come before `channel` in the JSON. */
  emitChannel(type: AriEventType, channel: SimChannel, fields: Record<string, unknown> = {}): void {
    this.hub.emitEvent(channel.app, type, { ...fields, channel: this.channelJson(channel) });
  }

  setVar(channel: SimChannel, variable: string, value: string, emit = true): void {
    channel.vars.set(variable, value);
    if (emit) this.emitChannel('ChannelVarset', channel, { variable, value });
  }

  setState(channel: SimChannel, state: ChannelState): void {
    if (channel.state === state) return;
    channel.state = state;
    if (state === 'Up') channel.hadMedia = true;
    this.emitChannel('ChannelStateChange', channel);
  }

  later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout | null | undefined): void {
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  /** Asterisk goes away: every timer stops and every call is gone. */
  shutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const channel of this.channels.values()) channel.ended = true;
    this.channels.clear();
    this.bridges.clear();
    this.playbacks.clear();
    this.liveRecordings.clear();
  }

  appChannelIds(app: string): string[] {
    return [...this.channels.values()].filter((c) => c.app === app && c.inStasis).map((c) => c.id);
  }

  appBridgeIds(app: string): string[] {
    return [...this.bridges.values()].filter((b) => b.apps.has(app)).map((b) => b.id);
  }

  /**
   * Destroys the deactivated apps that hold nothing any more. Asterisk runs this clean-up when a websocket goes
   * and when a channel leaves Stasis(); here also when a bridge is destroyed (Asterisk may keep such an app,
   * empty, until its next clean-up).
   */
  pruneApps(): void {
    for (const app of this.apps) {
      if (!this.hub.isActive(app) && this.appChannelIds(app).length === 0 && this.appBridgeIds(app).length === 0) this.apps.delete(app);
    }
  }
}
