import { describe, expect, it } from 'vitest';
import { BusyChannels } from './busy-channels.ts';

describe('channels busy with a prompt or recording (busy-channels.ts)', () => {
  it('stays busy until every prompt started on it has ended, and not after the channel is gone', () => {
    const busy = new BusyChannels();
    expect(busy.has('c1')).toBe(false);
    busy.started('c1');
    busy.started('c1'); // a new prompt before the last one's end was heard
    busy.ended('c1');
    expect(busy.has('c1')).toBe(true);
    busy.ended('c1');
    expect(busy.has('c1')).toBe(false);
    // An end for nothing started (another controller's prompt, a replayed event) leaves it free.
    busy.ended('c1');
    expect(busy.has('c1')).toBe(false);
    busy.started('c2');
    busy.gone('c2');
    expect(busy.has('c2')).toBe(false);
  });

  it('reads the channel from a playback or recording target', () => {
    expect(BusyChannels.channelOf('channel:1796600129.0')).toBe('1796600129.0');
    expect(BusyChannels.channelOf('bridge:b1')).toBeUndefined();
  });
});
