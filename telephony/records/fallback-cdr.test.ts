import { courtFor } from '../courts/court-directory.ts';
import { describe, expect, it } from 'vitest';
import { endpointOfChannel, fallbackCallRecords, parseFallbackCdrs, stableUuid, type FallbackContext } from './fallback-cdr.ts';

// What Asterisk 22.10.1 wrote (asterisk-config/cdr_custom.conf) for a fallback call answered by op1001 after the
// 4 s notice, the caller hanging up 11 s later: two records, the hangup handler's fields on the second.
const answeredCall = [
  '{"hotline":"fallback","uniqueid":"1795272388.0","linkedid":"1795272388.0","start":1795272388.148636,"answer":1795272388.149198,"end":1795272403.660182,"src":"13800000003","dialled":"12368","channel":"PJSIP/trunk-00000000","dstchannel":"PJSIP/op1001-00000001","disposition":"ANSWERED","billsec":15,"court":"","result":"","hangup_source":"","operator_answered":""}',
  '{"hotline":"fallback","uniqueid":"1795272388.0","linkedid":"1795272388.0","start":1795272403.660317,"answer":1795272403.660317,"end":1795272403.660462,"src":"13800000003","dialled":"12368","channel":"PJSIP/trunk-00000000","dstchannel":"","disposition":"ANSWERED","billsec":0,"court":"","result":"","hangup_source":"PJSIP/trunk-00000000","operator_answered":"1795272392.835"}',
].join('\n');

const courtId = '0b7e3c1e-3a4c-4a57-9a52-5c0f3b1f9d11';
const context: FallbackContext = { operatorByEndpoint: new Map([['op1001', 'f1a0c3c2-7f1f-4a39-8f53-0f7d7a9f4b10']]), courtFor: () => courtId, isOpen: () => true };

describe('calls that took the dialplan fallback, from the CDR', () => {
  it('makes one answered call from the records of one linkedid, answered when the operator answered', () => {
    const { cdrs, malformed } = parseFallbackCdrs(`${answeredCall}\n{"hotline":"","linkedid":"x.1","start":1,"end":2}\nnot json\n`);
    expect(malformed).toEqual(['not json']);
    const records = fallbackCallRecords(cdrs, context);
    const started = records.filter((r) => r.kind === 'call_started');
    expect(started).toEqual([{ kind: 'call_started', id: stableUuid('asterisk-fallback:1795272388.0:PJSIP/trunk-00000000'), courtId, channelId: '1795272388.0', callerNumber: '13800000003', dialled: '12368', arrivedAt: 1795272388149 }]);
    expect(records.filter((r) => r.kind === 'call_event').map((r) => r.kind === 'call_event' && [r.event, r.seq, r.at])).toEqual([
      ['arrived', 1, 1795272388149],
      ['queued', 2, 1795272388149],
      ['answered', 3, 1795272392835],
      ['hangup', 4, 1795272403660],
    ]);
    const closed = records.find((r) => r.kind === 'call_closed');
    expect(closed).toMatchObject({ endedAt: 1795272403660, summary: { outcome: 'answered', hangupBy: 'caller', answeredBy: 'f1a0c3c2-7f1f-4a39-8f53-0f7d7a9f4b10', answeredAt: 1795272392835, skill: 'general', inHours: true } });
  });

  it('gives the same ids every time, so an import repeated after a crash lands once', () => {
    const a = fallbackCallRecords(parseFallbackCdrs(answeredCall).cdrs, context);
    const b = fallbackCallRecords(parseFallbackCdrs(answeredCall).cdrs, context);
    expect(b).toEqual(a);
    expect(new Set(a.flatMap((r) => ('id' in r ? [r.id] : []))).size).toBe(5);
  });

  it('a caller who hangs up while the ring group rings abandoned; the system giving up failed', () => {
    const unanswered = (source: string, result = '') =>
      `{"hotline":"fallback","uniqueid":"9.4","linkedid":"9.4","start":100.5,"answer":100.6,"end":130,"src":"139","dialled":"12368","channel":"PJSIP/trunk-0000000a","dstchannel":"","disposition":"ANSWERED","billsec":29,"court":"${courtId}","result":"${result}","hangup_source":"${source}","operator_answered":""}`;
    const abandoned = fallbackCallRecords(parseFallbackCdrs(unanswered('PJSIP/trunk-0000000a')).cdrs, { ...context, courtFor: (clues) => courtFor({ courtIds: [courtId, '00000000-0000-4000-8000-0000000000ff'], numbers: new Map() }, clues) });
    expect(abandoned.find((r) => r.kind === 'call_closed')).toMatchObject({ summary: { outcome: 'abandoned_in_queue', hangupBy: 'caller', answeredBy: null, answeredAt: null } });
    expect(abandoned.find((r) => r.kind === 'call_started')).toMatchObject({ courtId });
    const gaveUp = fallbackCallRecords(parseFallbackCdrs(unanswered('dialplan/builtin', 'no_operator')).cdrs, context);
    expect(gaveUp.find((r) => r.kind === 'call_closed')).toMatchObject({ summary: { outcome: 'failed', hangupBy: 'system' } });
    expect(gaveUp.filter((r) => r.kind === 'call_event').map((r) => r.kind === 'call_event' && r.event)).toEqual(['arrived', 'queued', 'hangup']);
  });

  it('reads endpoints from channel names', () => {
    expect(endpointOfChannel('PJSIP/op1001-0000000a')).toBe('op1001');
    expect(endpointOfChannel('PJSIP/ext-8001-00000001')).toBe('ext-8001');
    expect(endpointOfChannel('dialplan/builtin')).toBeNull();
  });
});
