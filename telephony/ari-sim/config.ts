/** How a far end answers when the stand-in dials it. */
export type EndpointBehavior =
  | { kind: 'answer'; afterMs: number }
  /** 486 Busy Here: at once (no ringing), or after ringing `ringMs`. */
  | { kind: 'busy'; ringMs?: number }
  | { kind: 'noAnswer' }
  | { kind: 'reject' };

export interface EndpointConfig {
  /** PJSIP endpoint (resource) name, e.g. `judge1`, `op1001`. */
  name: string;
  /** online: has a contact (static or registered); offline endpoints cannot be dialled (500 Allocation failed). */
  online: boolean;
  behavior?: EndpointBehavior;
  /** Dialplan context the endpoint's outbound channels start in (default `internal`). */
  context?: string;
}

export interface AriSimOptions {
  /** Listen address (default 127.0.0.1) and port (default 0: any free port). */
  host?: string;
  port?: number;
  /** ARI user (ari.conf); default `asterisk` / `asterisk`. */
  username?: string;
  password?: string;
  /** The Stasis app the hotline number 12368 is routed to (default `hotline12368`). */
  app?: string;
  /** ari.conf `channelvars`: when set, every channel object carries `channelvars` with these names. */
  channelvars?: string[];
  /** PJSIP endpoints; default trunk, judge1-3 (online, answer after 1 s) and op1, op2 (offline). */
  endpoints?: EndpointConfig[];
  /** Behaviour of endpoints without their own (default: answer after 1000 ms). */
  defaultBehavior?: EndpointBehavior;
  /** Known sounds and how long each plays in ms; unknown sounds fail. Merged over the defaults. */
  sounds?: Record<string, number>;
  /** Playback length for a `sound:` media whose length is not configured (default 1000 ms). */
  defaultSoundMs?: number;
  /** duration_ms of each ChannelDtmfReceived (default 280, as sipp's RFC 4733 pcap gives). */
  dtmfDurationMs?: number;
  /** Emit BridgeDestroyed on DELETE /bridges (Asterisk 22 does so only sometimes; default true). */
  emitBridgeDestroyed?: boolean;
  /** Asterisk's entity id (default `02:fc:00:00:00:01`). */
  asteriskId?: string;
  /** How many emitted events `sim.events()` keeps (default 10 000). */
  eventLogLimit?: number;
  /**
   * http.conf `sessionlimit`: connections open at once (REST and websockets alike); one more is accepted and
   * closed at once, as Asterisk does ("HTTP session count exceeded"). Default: no limit (Asterisk's own is 100).
   */
  sessionLimit?: number;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  app: string;
  channelvars: string[] | null;
  endpoints: EndpointConfig[];
  defaultBehavior: EndpointBehavior;
  sounds: Record<string, number>;
  defaultSoundMs: number;
  dtmfDurationMs: number;
  emitBridgeDestroyed: boolean;
  asteriskId: string;
  eventLogLimit: number;
  sessionLimit: number | null;
}

export const DEFAULT_SOUNDS: Record<string, number> = {
  'hello-world': 1400,
  beep: 420,
  'tt-monkeys': 7000,
  'vm-goodbye': 800,
  'queue-thankyou': 1500,
  'queue-youarenext': 1200,
  'queue-thereare': 900,
  'queue-callswaiting': 1100,
  'pls-hold-while-try': 1800,
  'please-try-again': 1000,
  'vm-intro': 3000,
  'conf-now-unmuted': 900,
  'queue-minutes': 700,
};

export function resolveOptions(options: AriSimOptions = {}): ResolvedOptions {
  const endpoints = options.endpoints ?? [
    { name: 'trunk', online: false },
    { name: 'op2', online: false },
    { name: 'op1', online: false },
    { name: 'judge1', online: true },
    { name: 'judge2', online: true },
    { name: 'judge3', online: true },
  ];
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    username: options.username ?? 'asterisk',
    password: options.password ?? 'asterisk',
    app: options.app ?? 'hotline12368',
    channelvars: options.channelvars && options.channelvars.length > 0 ? [...options.channelvars] : null,
    endpoints,
    defaultBehavior: options.defaultBehavior ?? { kind: 'answer', afterMs: 1000 },
    sounds: { ...DEFAULT_SOUNDS, ...options.sounds },
    defaultSoundMs: options.defaultSoundMs ?? 1000,
    dtmfDurationMs: options.dtmfDurationMs ?? 280,
    emitBridgeDestroyed: options.emitBridgeDestroyed ?? true,
    asteriskId: options.asteriskId ?? '02:fc:00:00:00:01',
    eventLogLimit: options.eventLogLimit ?? 10_000,
    sessionLimit: options.sessionLimit ?? null,
  };
}
