import { describe, expect, it } from 'vitest';
import type { AriEvent } from '../ari/types.ts';
import { lostWithAsterisk, restartedUnder } from './call-lost.ts';
import { restartLoss } from './reconciler.ts';

const channel = { id: '1795259250.0', name: 'PJSIP/trunk-00000000', state: 'Up', callerNumber: '13800000000', dialled: '12368' };
const request = (fields: { cause?: number; soft?: boolean }): AriEvent => ({ type: 'ChannelHangupRequest', channel, ...fields });

describe('calls lost with Asterisk, not hung up by a person', () => {
  it('a soft hangup request with the shutdown or unload flag is Asterisk going; the causes of the traces are not', () => {
    expect(lostWithAsterisk(request({ cause: 4, soft: true }))).toBe('asterisk_shutdown');
    expect(lostWithAsterisk(request({ cause: 16, soft: true }))).toBe('asterisk_unload');
    // Recorded: the app's own DELETE {32, soft}; a caller's CANCEL {127}; a caller's BYE (no cause); a judge's BYE {16}.
    for (const fields of [{ cause: 32, soft: true }, { cause: 127 }, {}, { cause: 16 }]) expect(lostWithAsterisk(request(fields))).toBeUndefined();
    expect(lostWithAsterisk({ type: 'ChannelDestroyed', channel, cause: 16, causeText: 'Normal Clearing' })).toBeUndefined();
    expect(lostWithAsterisk({ type: 'StasisEnd', channel })).toBeUndefined();
  });

  it('Asterisk restarted when its start time changed since the last reconcile; unknown on either side is no restart', () => {
    expect(restartLoss('2026-11-21T11:12:42.059+0000', '2026-11-21T11:20:03.311+0000')).toBe('asterisk_restart');
    expect(restartLoss('2026-11-21T11:12:42.059+0000', '2026-11-21T11:12:42.059+0000')).toBeUndefined();
    expect(restartLoss(null, '2026-11-21T11:12:42.059+0000')).toBeUndefined();
    expect(restartLoss('2026-11-21T11:12:42.059+0000', undefined)).toBeUndefined();
  });

  it('a call was on the Asterisk that restarted when it arrived before the restart was seen', () => {
    expect(restartedUnder(1000, 2000)).toBe(true);
    expect(restartedUnder(3000, 2000)).toBe(false);
    expect(restartedUnder(1000, undefined)).toBe(false);
  });
});
