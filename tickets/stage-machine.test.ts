import { describe, expect, it } from 'vitest';
import { actorRoles, nextStage, transitions } from './stage-machine.ts';
import { stages } from './vocabulary.ts';

/** Every (stage, action, role) triple, with what the one table says about it. */
const cases = transitions.flatMap((t) =>
  stages.flatMap((stage) =>
    actorRoles.map((role) => ({
      stage,
      action: t.action,
      role,
      fromOk: (t.from as readonly string[]).includes(stage),
      roleOk: (t.roles as readonly string[]).includes(role),
      to: t.to === 'same' ? stage : t.to,
    })),
  ),
);

describe('stage machine (table-driven)', () => {
  it.each(cases.filter((c) => c.fromOk && c.roleOk))('$role may $action in $stage → $to', ({ stage, action, role, to }) => {
    expect(nextStage(stage, action, role)).toEqual({ ok: true, stage: to });
  });

  it.each(cases.filter((c) => !c.fromOk))('$action is illegal in $stage (as $role)', ({ stage, action, role }) => {
    const result = nextStage(stage, action, role);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ code: 'illegal_transition', httpStatus: 409 });
      expect(result.error.messageZh).toContain('环节');
    }
  });

  it.each(cases.filter((c) => c.fromOk && !c.roleOk))('$role may not $action in $stage', ({ stage, action, role }) => {
    const result = nextStage(stage, action, role);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'role_not_allowed', httpStatus: 403 });
  });

  it('closed and void are final: nothing leaves them', () => {
    expect(cases.filter((c) => (c.stage === 'closed' || c.stage === 'void') && c.fromOk)).toEqual([]);
  });

  it('refuses an unknown action', () => {
    const result = nextStage('answer', 'delete' as never, 'admin');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unknown_action');
  });

  it('the five stages are reachable in order: answer → handoff → chase → feedback → callback → closed', () => {
    const path = [
      ['answer', 'hand_off', 'operator', 'handoff'],
      ['handoff', 'escalate', 'system', 'chase'],
      ['chase', 'reply', 'judge', 'feedback'],
      ['feedback', 'record_delivery', 'operator', 'callback'],
      ['callback', 'close_after_callback', 'operator', 'closed'],
    ] as const;
    for (const [from, action, role, to] of path) expect(nextStage(from, action, role)).toEqual({ ok: true, stage: to });
  });
});
