import { describe, expect, it } from 'vitest';
import { newCall, step } from './machine.ts';
import { resume } from './resume.ts';
import type { CallCommand, CallInput, CallState, MachineSettings } from './types.ts';

type Input = CallInput extends infer I ? (I extends unknown ? Omit<I, 'at'> : never) : never;
type Step = Input | ((s: CallState) => Input);

const settings: MachineSettings = { ringMs: 20_000, maxWaitMs: 180_000, menuTimeoutMs: 5000, positionFirstMs: 3000, positionEveryMs: 30_000, transferRingMs: 30_000, caseEntryTimeoutMs: 8000, messageMaxSeconds: 120 };
const judge = { kind: 'judge', userId: 'j1', dial: 'PJSIP/8001', label: '张法官' } as const;

function drive(inputs: Step[], from?: CallState) {
  let state = from ?? newCall({ callId: 'c1', channelId: 'ch1', courtId: 'court', callerNumber: '13800000000' });
  const commands: CallCommand[] = [];
  let at = 1000;
  for (const make of inputs) {
    const input = (typeof make === 'function' ? make(state) : make) as CallInput;
    at += 1000;
    const t = step(state, { ...input, at } as CallInput, settings);
    state = t.state;
    commands.push(...t.commands);
  }
  const of = <K extends CallCommand['kind']>(kind: K) => commands.filter((c): c is Extract<CallCommand, { kind: K }> => c.kind === kind);
  return { state, commands, of, logs: of('log').map((c) => c.event) };
}

const onCall: Step[] = [
  { type: 'arrived', inHours: true },
  { type: 'digit', digit: '2' },
  { type: 'operator_assigned', userId: 'op1', endpoint: 'op1001' },
  (s) => ({ type: 'operator_answered', channelId: s.operator!.channelId }),
  (s) => ({ type: 'bridged', bridgeId: s.bridgeId! }),
];
const attended: Step = { type: 'transfer_requested', mode: 'attended', target: judge, operatorId: 'op1' };
const targetAnswers: Step = (s) => ({ type: 'transfer_answered', channelId: s.transfer!.channelId });

describe('transfers in the call machine', () => {
  it('attended: the caller is held out of the bridge, the operator consults the judge in a bridge of their own', () => {
    const { state, of } = drive([...onCall, attended, targetAnswers]);
    expect(state.phase).toBe('consulting');
    expect(of('destroyBridge')).toEqual([{ kind: 'destroyBridge', bridgeId: 'c1-br' }]);
    expect(of('bridge').at(-1)).toEqual({ kind: 'bridge', bridgeId: 'c1-cb1', channelIds: [state.operator!.channelId, 'c1-tr1'] });
    expect(of('ringTarget')[0]!.leg).toMatchObject({ seq: 1, mode: 'attended', channelId: 'c1-tr1', requestedBy: 'op1', target: judge });
  });

  it('an operator who hangs up during an answered consultation completes the transfer', () => {
    const { state, of, logs } = drive([...onCall, attended, targetAnswers, (s) => ({ type: 'operator_gone', channelId: s.operator!.channelId, reason: 'hangup' })]);
    expect(state).toMatchObject({ phase: 'transferred', operatorLeft: true, bridgeId: 'c1-tb1' });
    expect(of('hangupOperator')).toEqual([]);
    expect(of('operatorWrapUp')).toEqual([{ kind: 'operatorWrapUp', userId: 'op1' }]);
    expect(logs.at(-1)).toBe('transfer_completed');
  });

  it('completing before the judge answers turns it into a blind transfer', () => {
    const { state, logs } = drive([...onCall, attended, { type: 'transfer_complete' }]);
    expect(state).toMatchObject({ phase: 'transfer_ringing', operatorLeft: true });
    expect(state.transfer!.mode).toBe('blind');
    expect(logs.at(-1)).toBe('transfer_completed');
  });

  it('the caller hanging up during a consultation ends every leg: judge, operator, bridges, ticket', () => {
    const { state, of } = drive([...onCall, attended, targetAnswers, { type: 'caller_hangup' }]);
    expect(state.phase).toBe('ended');
    expect(of('hangupLeg')).toEqual([{ kind: 'hangupLeg', channelId: 'c1-tr1' }]);
    expect(of('hangupOperator').map((c) => c.channelId)).toContain(state.operator!.channelId);
    expect(of('destroyBridge').map((c) => c.bridgeId)).toContain('c1-cb1');
    expect(of('transferTicket')).toHaveLength(1);
    expect(of('recordLeg').at(-1)).toMatchObject({ outcome: 'answered', endedAt: expect.any(Number) });
    expect(of('close')[0]!.summary).toMatchObject({ outcome: 'answered', hangupBy: 'caller' });
  });

  it('the judge hanging up after a completed transfer hangs up the caller, not the judge’s own ending leg again', () => {
    const completed: Step = { type: 'transfer_complete' };
    const { state, of } = drive([...onCall, attended, targetAnswers, completed, (s) => ({ type: 'transfer_gone', channelId: s.transfer!.channelId, reason: 'hangup', outcome: 'no_answer' })]);
    expect(state.phase).toBe('ended');
    expect(of('hangupCaller')).toHaveLength(1);
    expect(of('hangupLeg')).toEqual([]);
    expect(of('destroyBridge').map((c) => c.bridgeId)).toContain('c1-tb1');
    expect(of('close')[0]!.summary).toMatchObject({ outcome: 'answered', hangupBy: 'target' });
  });

  it('the judge talking with the caller hangs up: by the target; Asterisk going away instead: by the system', () => {
    const talking: Step[] = [...onCall, attended, targetAnswers, { type: 'transfer_complete' }];
    const hungUp = drive([...talking, (s) => ({ type: 'transfer_gone', channelId: s.transfer!.channelId, reason: 'Normal Clearing', outcome: 'no_answer' })]);
    expect(hungUp.of('close')[0]!.summary).toMatchObject({ outcome: 'answered', hangupBy: 'target' });
    const lost = drive([...talking, { type: 'caller_lost', reason: 'asterisk_restart' }]);
    expect(lost.of('close')[0]!.summary).toMatchObject({ outcome: 'answered', hangupBy: 'system' });
    expect(lost.of('recordLeg').at(-1)).toMatchObject({ outcome: 'answered' });
  });

  it('a transfer still ringing when Asterisk goes away: the leg failed (not left by the caller), the call too', () => {
    const blind: Step = { type: 'transfer_requested', mode: 'blind', target: judge, operatorId: 'op1' };
    const { of } = drive([...onCall, blind, { type: 'caller_lost', reason: 'asterisk_shutdown' }]);
    expect(of('recordLeg').at(-1)).toMatchObject({ outcome: 'failed', endedAt: expect.any(Number) });
    expect(of('transferTicket').at(-1)!.leg).toMatchObject({ outcome: 'failed' });
    // An operator had answered: the call stays answered, ended by the system.
    expect(of('close')[0]!.summary).toMatchObject({ outcome: 'answered', hangupBy: 'system' });
    const byCaller = drive([...onCall, blind, { type: 'caller_hangup' }]);
    expect(byCaller.of('recordLeg').at(-1)).toMatchObject({ outcome: 'caller_left' });
  });

  it('back with the operator after a cancelled transfer, a refused bridge is recorded only: the call was answered and stays so', () => {
    const { state, commands, of } = drive([...onCall, attended, targetAnswers, { type: 'transfer_cancel' }, (s) => ({ type: 'bridge_failed', bridgeId: s.bridgeId!, channelIds: [s.channelId, s.operator!.channelId] }), { type: 'caller_hangup' }]);
    expect(of('log').find((c) => c.event === 'bridge_failed')?.data).toMatchObject({ bridgeId: 'c1-br1', requeued: false });
    expect(commands.filter((c) => c.kind === 'enqueue')).toHaveLength(1); // the menu choice's, none since
    expect(state.phase).toBe('ended');
    expect(of('close')[0]!.summary).toMatchObject({ outcome: 'answered', answeredBy: 'op1', answeredAt: 5000 });
  });

  it('inputs for a leg that is not the current one are ignored', () => {
    const { state, commands } = drive([...onCall, attended]);
    const stale = drive([{ type: 'transfer_answered', channelId: 'c1-tr9' }, { type: 'transfer_gone', channelId: 'other', reason: 'x', outcome: 'busy' }], state);
    expect(stale.commands).toEqual([]);
    expect(stale.state).toEqual(state);
    expect(commands.length).toBeGreaterThan(0);
  });

  it('a transfer is refused outside a conversation (nothing happens)', () => {
    const queued = drive([{ type: 'arrived', inHours: true }, { type: 'digit', digit: '2' }]);
    const t = step(queued.state, { type: 'transfer_requested', mode: 'blind', target: judge, operatorId: 'op1', at: 9000 }, settings);
    expect(t).toEqual({ state: queued.state, commands: [] });
  });

  it('case entry: digits, * to start again, # to look up; more than 24 digits are ignored', () => {
    const { state, of } = drive([{ type: 'arrived', inHours: true }, { type: 'digit', digit: '1' }, { type: 'digit', digit: '9' }, { type: 'digit', digit: '*' }, ...'2024'.split('').map((digit) => ({ type: 'digit', digit }) as const), { type: 'digit', digit: '#' }]);
    expect(state.phase).toBe('case_lookup');
    expect(of('lookupCase')).toEqual([{ kind: 'lookupCase', digits: '2024' }]);
    const long = drive([{ type: 'arrived', inHours: true }, { type: 'digit', digit: '1' }, ...'1234567890123456789012345678'.split('').map((digit) => ({ type: 'digit', digit }) as const)]);
    expect(long.state.caseDigits).toHaveLength(24);
  });

  describe('after a controller restart', () => {
    const adopted = (target: { up: boolean; answered: boolean; bridged: boolean }, operatorUp = true) => ({ type: 'adopted' as const, operatorUp, operatorAnswered: operatorUp, bridged: false, target, at: 99_000 });

    it('a judge who answered in the gap is bridged with the caller; one still ringing keeps ringing', () => {
      const blind = drive([...onCall, { type: 'transfer_requested', mode: 'blind', target: judge, operatorId: 'op1' }]).state;
      expect(resume(blind, adopted({ up: true, answered: true, bridged: false }), settings).state.phase).toBe('transferred');
      const ringing = resume(blind, adopted({ up: true, answered: false, bridged: false }), settings);
      expect(ringing.state.phase).toBe('transfer_ringing');
      expect(ringing.commands).toContainEqual({ kind: 'startTimer', name: 'transfer', ms: settings.transferRingMs });
    });

    it('a leg gone in the gap counts as failed; a consulting operator gone completes the transfer', () => {
      const consulting = drive([...onCall, attended, targetAnswers]).state;
      expect(resume(consulting, adopted({ up: false, answered: false, bridged: false }), settings).state.phase).toBe('connected');
      expect(resume(consulting, adopted({ up: true, answered: true, bridged: true }, false), settings).state.phase).toBe('transferred');
      expect(resume(consulting, adopted({ up: true, answered: true, bridged: true }), settings).commands).toEqual([]);
    });

    it('a caller keying a case number goes to an operator; a lost lookup is asked again', () => {
      const keying = drive([{ type: 'arrived', inHours: true }, { type: 'digit', digit: '1' }, { type: 'digit', digit: '7' }]).state;
      expect(resume(keying, adopted({ up: false, answered: false, bridged: false }), settings).state).toMatchObject({ phase: 'queued', skill: 'judge_contact' });
      const lookup = drive([{ type: 'arrived', inHours: true }, { type: 'digit', digit: '1' }, { type: 'digit', digit: '7' }, { type: 'digit', digit: '#' }]).state;
      expect(resume(lookup, adopted({ up: false, answered: false, bridged: false }), settings).commands).toEqual([{ kind: 'lookupCase', digits: '7' }]);
    });
  });
});
