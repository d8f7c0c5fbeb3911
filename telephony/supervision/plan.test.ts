import { describe, expect, it } from 'vitest';
import { attach, detach, teardown } from './plan.ts';
import type { Session } from './types.ts';

const session: Session = {
  callId: 'c1',
  courtId: 'k',
  supervisorId: 's',
  operatorId: 'o',
  mode: 'listen',
  legId: 'c1-sv7',
  legUp: true,
  seq: 70,
  callerChannelId: 'caller',
  operatorChannelId: 'c1-op1',
  mainBridgeId: 'c1-br',
  inMain: false,
  startedAt: 0,
  epoch: 0,
};

describe('supervision plan (pure)', () => {
  it('listen snoops on the caller, whisper on the operator with whisper out, each bridged with the leg', () => {
    expect(attach(session, 'listen').commands).toEqual([
      { kind: 'snoop', channelId: 'caller', snoopId: 'c1-sn71', spy: 'both', whisper: 'none', appArgs: 'snoop' },
      { kind: 'createBridge', bridgeId: 'c1-sb71' },
      { kind: 'addToBridge', bridgeId: 'c1-sb71', channelIds: ['c1-sn71', 'c1-sv7'] },
    ]);
    expect(attach(session, 'whisper').commands[0]).toEqual({ kind: 'snoop', channelId: 'c1-op1', snoopId: 'c1-sn71', spy: 'both', whisper: 'out', appArgs: 'snoop' });
  });

  it('barge puts the leg in the call bridge; switching detaches without hanging the leg up; teardown never touches the call', () => {
    const listening = attach(session, 'listen').session;
    const out = detach(listening);
    expect(out.commands).toEqual([
      { kind: 'hangup', channelId: 'c1-sn71' },
      { kind: 'destroyBridge', bridgeId: 'c1-sb71' },
    ]);
    const barging = attach(out.session, 'barge');
    expect(barging.commands).toEqual([{ kind: 'addToBridge', bridgeId: 'c1-br', channelIds: ['c1-sv7'] }]);
    expect(detach(barging.session).commands).toEqual([{ kind: 'removeFromBridge', bridgeId: 'c1-br', channelIds: ['c1-sv7'] }]);
    expect(teardown(barging.session)).toEqual([{ kind: 'hangup', channelId: 'c1-sv7' }]);
    // A second snoop of the same supervision never reuses the first one's ids.
    expect(attach(out.session, 'whisper').session.snoop).toEqual({ channelId: 'c1-sn72', bridgeId: 'c1-sb72' });
    for (const c of [...teardown(listening), ...out.commands]) expect(JSON.stringify(c)).not.toMatch(/caller|c1-op1|c1-br"/);
  });
});
