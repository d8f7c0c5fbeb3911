/**
 * Channels whose own thread in Asterisk is busy with something the controller started: a prompt playing on the
 * channel, or a recording of it. Until its PlaybackFinished / RecordingFinished (or the channel leaves), a request
 * Asterisk runs on that thread and waits for (answer, a channel variable, a bridge join or leave) would wait as long,
 * so the transport sends those over HTTP instead of the one websocket (rest-transport.ts). Counted, since a new
 * prompt may start before the last one's end is heard; a lost end event leaves the channel busy: HTTP, the safe side.
 */
import type { AriCommand, AriEvent } from './types.ts';

export class BusyChannels {
  private readonly count = new Map<string, number>();

  started(channelId: string): void {
    this.count.set(channelId, (this.count.get(channelId) ?? 0) + 1);
  }

  ended(channelId: string): void {
    const n = (this.count.get(channelId) ?? 0) - 1;
    if (n > 0) this.count.set(channelId, n);
    else this.count.delete(channelId);
  }

  /** The channel left Stasis or is gone: nothing of ours runs on it any more. */
  gone(channelId: string): void {
    this.count.delete(channelId);
  }

  has(channelId: string): boolean {
    return this.count.has(channelId);
  }

  /** The channel a command makes busy (a prompt or recording on it), counted from the request on; else undefined. */
  occupy(command: AriCommand): string | undefined {
    const id = command.kind === 'play' || command.kind === 'record' ? command.channelId : undefined;
    if (id) this.started(id);
    return id;
  }

  /** A prompt's or recording's end frees its channel; a channel that left Stasis or is gone is free. */
  note(event: AriEvent): void {
    if (event.type === 'PlaybackFinished' || event.type === 'RecordingFinished') {
      const id = BusyChannels.channelOf(event.target);
      if (id) this.ended(id);
    } else if (event.type === 'StasisEnd' || event.type === 'ChannelDestroyed') this.gone(event.channel.id);
  }

  /** `channel:<id>` (a playback's or recording's target) → the channel id, else undefined. */
  static channelOf(target: string): string | undefined {
    return target.startsWith('channel:') ? target.slice('channel:'.length) : undefined;
  }
}
