import { describe, expect, it } from 'vitest';
import { parseAriMessage } from './parse-event.ts';

const channel = {
  id: '1795259250.0',
  name: 'PJSIP/trunk-00000000',
  state: 'Ring',
  caller: { name: '', number: '13800000000' },
  dialplan: { context: 'from-pstn', exten: '12368', priority: 2 },
  channelvars: { HOTLINE_CALL_ID: 'call-1', COURT_ID: '' },
};

describe('parseAriMessage', () => {
  it('types an event and reads the domain ids from channel variables (empty means unset)', () => {
    const r = parseAriMessage(JSON.stringify({ type: 'StasisStart', args: [], channel }));
    expect(r).toEqual({
      ok: true,
      event: { type: 'StasisStart', args: [], channel: { id: channel.id, name: channel.name, state: 'Ring', callerNumber: '13800000000', dialled: '12368', callId: 'call-1' } },
    });
  });

  it('keeps a hangup request without a cause (a caller BYE) apart from one with a cause', () => {
    const bye = parseAriMessage(JSON.stringify({ type: 'ChannelHangupRequest', channel }));
    expect(bye.ok && bye.event).toMatchObject({ type: 'ChannelHangupRequest' });
    expect(bye.ok && 'cause' in bye.event).toBe(false);
  });

  it('reports malformed messages and ignores types it does not use', () => {
    expect(parseAriMessage('{not json')).toEqual({ ok: false, ignored: false, reason: 'not JSON' });
    expect(parseAriMessage('{"channel":{}}')).toEqual({ ok: false, ignored: false, reason: 'no event type' });
    expect(parseAriMessage(JSON.stringify({ type: 'ChannelDtmfReceived', channel }))).toMatchObject({ ok: false, ignored: false });
    expect(parseAriMessage(JSON.stringify({ type: 'ChannelVarset', variable: 'RTPAUDIOQOS', channel }))).toEqual({ ok: false, ignored: true, type: 'ChannelVarset' });
    // No handler reads these: skipped unvalidated, however they look.
    for (const type of ['ChannelStateChange', 'Dial', 'PlaybackStarted']) expect(parseAriMessage(JSON.stringify({ type }))).toEqual({ ok: false, ignored: true, type });
  });
});
