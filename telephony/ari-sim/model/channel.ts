import type { CallerIdJson, ChannelJson, ChannelState, DialplanJson } from '../types.ts';

/**
 * inbound: a caller dialled in through the trunk; created: POST /channels/create; originated: POST /channels;
 * snoop: POST /channels/{id}/snoop (no RTP of its own, never ChannelDestroyed).
 */
export type ChannelKind = 'inbound' | 'created' | 'originated' | 'snoop';

/** Audio directions of a snoop channel (ARI `spy` / `whisper`). */
export type SnoopDirection = 'none' | 'both' | 'out' | 'in';

/** The far end's plan for an outbound channel, decided by the endpoint's behaviour when it is dialled. */
export interface DialAttempt {
  dialstring: string;
  /** Originate puts dialstring on every Dial event; create+dial only on the first. */
  dialstringOnEvery: boolean;
  timers: NodeJS.Timeout[];
}

export class SimChannel {
  state: ChannelState;
  connected: CallerIdJson = { name: '', number: '' };
  readonly vars = new Map<string, string>();
  /** The Stasis app this channel's events go to (null: none). */
  app: string | null = null;
  inStasis = false;
  /** Was in Stasis at least once (created/originated channels then get STASISSTATUS=SUCCESS at the end). */
  wasInStasis = false;
  bridgeId: string | null = null;
  /** RTP flowed (the channel was answered): hangup then reports RTPAUDIOQOS variables. */
  hadMedia = false;
  ringingIndication = false;
  mohClass: string | null = null;
  onHold = false;
  dial: DialAttempt | null = null;
  /** For a created channel: what POST /dial will call (endpoint name and dial string). */
  dialTarget: { endpoint: string; dialstring: string } | null = null;
  ended = false;
  /** Playback ids waiting for or using this channel, in order. */
  readonly playbackQueue: string[] = [];
  /** Live recording names whose target is this channel. */
  readonly recordings = new Set<string>();
  /** For a snoop channel: the channel it is attached to and its directions. */
  snoop: { targetId: string; spy: SnoopDirection; whisper: SnoopDirection } | null = null;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly kind: ChannelKind,
    readonly endpoint: string,
    readonly protocolId: string,
    readonly caller: CallerIdJson,
    public dialplan: DialplanJson,
    readonly creationtime: string,
    state: ChannelState,
  ) {
    this.state = state;
  }

  toJson(channelvars: readonly string[] | null): ChannelJson {
    const json: ChannelJson = {
      id: this.id,
      name: this.name,
      state: this.state,
      protocol_id: this.protocolId,
      caller: { ...this.caller },
      connected: { ...this.connected },
      accountcode: '',
      dialplan: { ...this.dialplan },
      creationtime: this.creationtime,
      language: 'en',
    };
    if (channelvars) {
      json.channelvars = Object.fromEntries(channelvars.map((name) => [name, this.vars.get(name) ?? '']));
    }
    return json;
  }
}
