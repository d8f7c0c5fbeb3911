import type { BridgeJson } from '../types.ts';

export type BridgeType = 'mixing' | 'holding';

export class SimBridge {
  technology: string;
  readonly channelIds: string[] = [];
  /** Apps subscribed to this bridge (those of channels that joined it). */
  readonly apps = new Set<string>();
  mohClass: string | null = null;
  /** Live recording names whose target is this bridge. */
  readonly recordings = new Set<string>();
  readonly playbackQueue: string[] = [];
  /** Members without RTP of their own (snoop channels): two channels with one of them stay `simple_bridge`. */
  readonly nonRtpIds = new Set<string>();

  constructor(
    readonly id: string,
    readonly type: BridgeType,
    readonly name: string,
    readonly creationtime: string,
  ) {
    this.technology = type === 'holding' ? 'holding_bridge' : 'simple_bridge';
  }

  /** Re-evaluates the technology the way Asterisk's bridge core does once membership settles. */
  settleTechnology(): void {
    if (this.type === 'holding') return;
    const count = this.channelIds.length;
    const allRtp = this.channelIds.every((id) => !this.nonRtpIds.has(id));
    this.technology = count === 2 ? (allRtp ? 'native_rtp' : 'simple_bridge') : count > 2 ? 'softmix' : 'simple_bridge';
  }

  toJson(): BridgeJson {
    return {
      id: this.id,
      technology: this.technology,
      bridge_type: this.type,
      bridge_class: 'stasis',
      creator: 'Stasis',
      name: this.name,
      channels: [...this.channelIds],
      creationtime: this.creationtime,
      video_mode: 'talker',
    };
  }
}
