import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import type { TransferTarget } from '../calls/types.ts';
import { TelephonyError } from '../errors.ts';
import { dialTarget } from '../endpoints/dial-target.ts';
import type { DialPlan } from './dial-plan.ts';

export type TargetChoice = { judgeId: string } | { departmentId: string } | { number: string };

export interface DirectoryEntry {
  kind: 'judge' | 'department';
  id: string;
  label: string;
  extension: string;
  departmentId: string | null;
}

const noTarget = (why: string, whyZh: string) => new TelephonyError('transfer_target_invalid', whyZh, why);

/** The judges, heads and departments of a court that a call can be put through to (they have a phone). */
export async function transferDirectory(db: Db, courtId: string): Promise<DirectoryEntry[]> {
  const [people, depts] = await Promise.all([
    db
      .select({ id: users.id, label: users.displayName, extension: users.extension, departmentId: users.departmentId })
      .from(users)
      .where(and(eq(users.courtId, courtId), eq(users.active, true), inArray(users.role, ['judge', 'department_head']), isNotNull(users.extension))),
    db
      .select({ id: departments.id, label: departments.name, extension: departments.extension })
      .from(departments)
      .where(and(eq(departments.courtId, courtId), eq(departments.active, true), isNotNull(departments.extension))),
  ]);
  return [
    ...people.map((p) => ({ kind: 'judge' as const, id: p.id, label: p.label, extension: p.extension!, departmentId: p.departmentId })),
    ...depts.map((d) => ({ kind: 'department' as const, id: d.id, label: d.label, extension: d.extension!, departmentId: d.id })),
  ];
}

/** A transfer target from the operator's choice, checked against the court's directory. */
export async function resolveTarget(db: Db, courtId: string, choice: TargetChoice, plan: DialPlan): Promise<TransferTarget> {
  if ('number' in choice) {
    const dial = dialTarget(choice.number, plan.trunkDial);
    if (!dial) throw noTarget('the number must be an extension (2–6 digits) or a phone number', '号码应为分机号（2–6 位）或电话号码');
    return { kind: 'number', dial, label: choice.number };
  }
  const entries = await transferDirectory(db, courtId);
  const entry = 'judgeId' in choice ? entries.find((e) => e.kind === 'judge' && e.id === choice.judgeId) : entries.find((e) => e.kind === 'department' && e.id === choice.departmentId);
  if (!entry) throw noTarget('no such judge or department with a phone in this court', '本院没有该法官或部门，或其未配置电话');
  const dial = dialTarget(entry.extension, plan.trunkDial);
  if (!dial) throw noTarget(`the directory's number "${entry.extension}" cannot be dialled`, `通讯录中的号码“${entry.extension}”无法拨打`);
  return entry.kind === 'judge' ? { kind: 'judge', userId: entry.id, dial, label: entry.label } : { kind: 'department', departmentId: entry.id, dial, label: entry.label };
}
