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

  it('is made busy by a prompt or recording command and freed by its end event or the channel leaving', () => {
    const busy = new BusyChannels();
    expect(busy.occupy({ kind: 'play', channelId: 'c1', playbackId: 'p1', media: ['sound:x'] })).toBe('c1');
    expect(busy.occupy({ kind: 'startMoh', channelId: 'c2' })).toBeUndefined();
    expect(busy.has('c2')).toBe(false);
    busy.note({ type: 'PlaybackFinished', playbackId: 'p1', target: 'bridge:b1', state: 'done' });
    expect(busy.has('c1')).toBe(true);
    busy.note({ type: 'PlaybackFinished', playbackId: 'p1', target: 'channel:c1', state: 'done' });
    expect(busy.has('c1')).toBe(false);
    busy.occupy({ kind: 'record', channelId: 'c3', name: 'r', maxSeconds: 60 });
    busy.note({ type: 'RecordingFinished', name: 'r', target: 'channel:c3' });
    expect(busy.has('c3')).toBe(false);
  });

  it('reads the channel from a playback or recording target', () => {
    expect(BusyChannels.channelOf('channel:1796600129.0')).toBe('1796600129.0');
    expect(BusyChannels.channelOf('bridge:b1')).toBeUndefined();
  });
});
