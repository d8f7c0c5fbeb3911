import type { EndpointBehavior } from './config.ts';
import type { SimAsterisk, SimEndpoint } from './model/asterisk.ts';
import type { SimChannel } from './model/channel.ts';
import { hangupByCaller, hangupByFarEnd } from './model/hangup.ts';
import { receiveDtmf } from './model/media.ts';
import type { ChannelJson, ChannelState } from './types.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The PSTN caller's side of one inbound call. */
export class CallHandle {
  constructor(
    private readonly asterisk: SimAsterisk,
    private readonly simChannel: SimChannel | null,
    /** Channel name (`PJSIP/trunk-0000000N`); a declined call has one too. */
    readonly name: string,
  ) {}

  /** False when Stasis() failed because the app had no websocket: the caller got 603 Decline. */
  get accepted(): boolean {
    return this.simChannel !== null;
  }

  /** The channel id the app sees (null for a declined call). */
  get channelId(): string | null {
    return this.simChannel?.id ?? null;
  }

  /** Current state, or `gone` once hung up or declined. */
  get state(): ChannelState | 'gone' {
    const channel = this.live();
    return channel ? channel.state : 'gone';
  }

  /** What the caller hears besides prompts: ringback sent by POST /ring, MOH class, held by the app. */
  get treatment(): { ringing: boolean; moh: string | null; onHold: boolean } {
    const channel = this.live();
    return { ringing: channel?.ringingIndication ?? false, moh: channel?.mohClass ?? null, onHold: channel?.onHold ?? false };
  }

  /** The channel as ARI shows it now, or null once gone. */
  snapshot(): ChannelJson | null {
    const channel = this.live();
    return channel ? this.asterisk.channelJson(channel) : null;
  }

  /** Sends RFC 4733 digits (0-9, *, #, A-D), one ChannelDtmfReceived each, gapMs apart. Needs an answered call. */
  async pressDigits(digits: string, options: { gapMs?: number; durationMs?: number } = {}): Promise<void> {
    if (!/^[0-9*#A-D]+$/.test(digits)) throw new Error(`ari-sim: invalid DTMF digits "${digits}"`);
    const gapMs = options.gapMs ?? 50;
    for (const [index, digit] of [...digits].entries()) {
      if (index > 0) await sleep(gapMs);
      const channel = this.live();
      if (!channel) throw new Error('ari-sim: the call has ended');
      if (channel.state !== 'Up') throw new Error('ari-sim: DTMF needs an answered call (no media before answer)');
      receiveDtmf(this.asterisk, channel, digit, options.durationMs ?? this.asterisk.options.dtmfDurationMs);
    }
  }

  /** The caller hangs up: CANCEL before answer (cause 127/487), BYE after answer (no cause). */
  hangup(): void {
    const channel = this.live();
    if (channel) hangupByCaller(this.asterisk, channel);
  }

  /** The caller's phone puts the call on hold (re-INVITE sendonly): ChannelHold. */
  hold(): void {
    const channel = this.requireAnswered();
    this.asterisk.emitChannel('ChannelHold', channel, { musicclass: 'default' });
  }

  /** The caller takes the call off hold (re-INVITE sendrecv): ChannelUnhold. */
  unhold(): void {
    this.asterisk.emitChannel('ChannelUnhold', this.requireAnswered());
  }

  private requireAnswered(): SimChannel {
    const channel = this.live();
    if (!channel || channel.state !== 'Up') throw new Error('ari-sim: the call is not answered');
    return channel;
  }

  private live(): SimChannel | null {
    const channel = this.simChannel;
    return channel && !channel.ended && this.asterisk.channels.get(channel.id) === channel ? channel : null;
  }
}

/** A PJSIP endpoint (operator softphone, judge phone): how it answers when dialled, and its registration. */
export class EndpointControl {
  constructor(
    private readonly asterisk: () => SimAsterisk,
    readonly name: string,
  ) {}

  private endpoint(): SimEndpoint {
    const ast = this.asterisk();
    return ast.endpoints.get(this.name) ?? ast.addEndpoint({ name: this.name, online: false });
  }

  private behave(behavior: EndpointBehavior): this {
    this.endpoint().behavior = behavior;
    return this;
  }

  /** Rings (180), then answers (200) after ms. */
  answerAfter(ms: number): this {
    return this.behave({ kind: 'answer', afterMs: ms });
  }

  /** Answers 486 Busy Here (cause 17): at once, or after ringing (180) for `ringMs`. */
  busy(options: { ringMs?: number } = {}): this {
    return this.behave({ kind: 'busy', ...(options.ringMs ? { ringMs: options.ringMs } : {}) });
  }

  /** Rings and never answers; the dial timeout ends it (cause 19). */
  noAnswer(): this {
    return this.behave({ kind: 'noAnswer' });
  }

  /** Declines with 603 (cause 21). */
  reject(): this {
    return this.behave({ kind: 'reject' });
  }

  /** The softphone registers: the endpoint is online and can be dialled. */
  register(): this {
    this.endpoint().online = true;
    return this;
  }

  /** The softphone unregisters: dialling it gives 500 Allocation failed. */
  unregister(): this {
    this.endpoint().online = false;
    return this;
  }

  get online(): boolean {
    return this.endpoint().online;
  }

  /** The endpoint's live channels as ARI shows them. */
  channels(): ChannelJson[] {
    const ast = this.asterisk();
    return [...ast.channels.values()].filter((c) => c.endpoint === this.name).map((c) => ast.channelJson(c));
  }

  /** The person hangs up (BYE, cause 16) on every answered call of this endpoint; returns how many. */
  hangup(): number {
    const ast = this.asterisk();
    const answered = [...ast.channels.values()].filter((c) => c.endpoint === this.name && c.state === 'Up' && c.kind !== 'inbound');
    for (const channel of answered) hangupByFarEnd(ast, channel);
    return answered.length;
  }
}
