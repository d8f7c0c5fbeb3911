import { describe, expect, it } from 'vitest';
import type { Actor } from './user-roles.ts';
import { assertSameCourt, canSee } from './court-scope.ts';

const actor = (role: Actor['role'], departmentId: string | null = 'd1'): Actor => ({ userId: 'u1', role, courtId: 'c1', departmentId });

describe('court scoping', () => {
  const ownTicket = { courtId: 'c1', handlerUserId: 'u1', departmentId: 'd2' };
  const departmentTicket = { courtId: 'c1', handlerUserId: 'u9', departmentId: 'd1' };
  const elsewhere = { courtId: 'c1', handlerUserId: 'u9', departmentId: 'd2' };
  const otherCourt = { courtId: 'c2', handlerUserId: 'u1', departmentId: 'd1' };

  it('limits judges to their own and their department’s records', () => {
    expect([ownTicket, departmentTicket, elsewhere, otherCourt].map((row) => canSee(actor('judge'), row))).toEqual([true, true, false, false]);
  });

  it('limits department heads to their department, and a head without one to nothing', () => {
    expect([ownTicket, departmentTicket, elsewhere].map((row) => canSee(actor('department_head'), row))).toEqual([false, true, false]);
    expect(canSee(actor('department_head', null), { courtId: 'c1', departmentId: null })).toBe(false);
  });

  it('gives operators, managers and admins their whole court and nothing of another', () => {
    for (const role of ['operator', 'manager', 'admin'] as const) {
      expect([ownTicket, departmentTicket, elsewhere, otherCourt].map((row) => canSee(actor(role), row))).toEqual([true, true, true, false]);
    }
  });

  it('answers another court’s record with not_found', () => {
    expect(() => assertSameCourt(actor('admin'), { courtId: 'c2' })).toThrow(expect.objectContaining({ code: 'not_found', httpStatus: 404 }));
  });
});
