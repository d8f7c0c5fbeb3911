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
    expect(bye.ok && bye.event).not.toHaveProperty('soft');
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

  it('skips unread types by their leading members without parsing them, as Asterisk orders them', () => {
    // Real Asterisk writes a ChannelVarset's variable and value before its type; a value may hold anything.
    const varset = `{"variable":"NOTE","value":"say \\"type\\":\\"StasisStart\\", {","type":"ChannelVarset","channel":{"id":"1"}}`;
    expect(parseAriMessage(varset)).toEqual({ ok: false, ignored: true, type: 'ChannelVarset' });
    // Unread and cut short: still skipped, never reported (nothing reads it).
    expect(parseAriMessage('{"type":"Dial","peer":{"id"')).toEqual({ ok: false, ignored: true, type: 'Dial' });
    // A read type named before its channel, after a numeric member, is parsed and validated in full.
    const hangup = parseAriMessage(JSON.stringify({ cause: 16, soft: true, type: 'ChannelHangupRequest', channel }));
    expect(hangup).toMatchObject({ ok: true, event: { type: 'ChannelHangupRequest', cause: 16, soft: true } });
    // A type after a nested member is found by the full parse, not mistaken for the nested one.
    const nested = parseAriMessage(JSON.stringify({ channel: { ...channel, type: 'Dial' }, type: 'StasisEnd' }));
    expect(nested).toMatchObject({ ok: true, event: { type: 'StasisEnd', channel: { id: channel.id } } });
  });

  it('treats names of object members other than its own types as unknown types', () => {
    for (const type of ['toString', 'constructor', '__proto__']) {
      expect(parseAriMessage(JSON.stringify({ type, channel }))).toEqual({ ok: false, ignored: true, type });
      // Named after a nested member: the full parse's own check.
      expect(parseAriMessage(JSON.stringify({ channel, type }))).toEqual({ ok: false, ignored: true, type });
    }
  });

  it('finds a type named after long leading members by the full parse', () => {
    const filler = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]));
    expect(parseAriMessage(JSON.stringify({ ...filler, type: 'Dial' }))).toEqual({ ok: false, ignored: true, type: 'Dial' });
    expect(parseAriMessage(JSON.stringify({ ...filler, type: 'StasisEnd', channel }))).toMatchObject({ ok: true, event: { type: 'StasisEnd' } });
  });
});
