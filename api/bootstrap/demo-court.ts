/**
 * The demo's sample court (`npm run demo`): a court, two departments, a user of every role with a fresh password
 * each run (printed by demo.ts), the hotline number 12368 mapped to it and the starter knowledge base. Idempotent:
 * a second run finds what the first made and only sets new passwords. Never used outside the demo.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { courts } from '../../platform/courts.sql.ts';
import type { Db } from '../../platform/db/client.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import type { UserRole } from '../../platform/user-roles.ts';
import { credentials } from '../auth/auth.sql.ts';
import { hashPassword } from '../auth/passwords.ts';
import { knowledgeEntries } from '../knowledge/knowledge.sql.ts';
import { importKnowledgeForCourt } from '../knowledge/import-for-court.ts';

export const demoCourt = { code: 'DEMO', name: '示例市人民法院（演示）', number: '12368' } as const;

export interface DemoUser {
  role: UserRole;
  username: string;
  displayName: string;
  password: string;
  /** Operators: the softphone endpoint; `simulated` ones are answered by the stand-in's phones, not a browser. */
  sipEndpoint: string | null;
  simulated: boolean;
  id: string;
}

interface Spec {
  username: string;
  displayName: string;
  role: UserRole;
  department: string | null;
  sipEndpoint: string | null;
  simulated: boolean;
}

const departmentNames = ['立案庭', '执行局'] as const;
const specs: Spec[] = [
  { username: 'demo-admin', displayName: '演示管理员', role: 'admin', department: null, sipEndpoint: null, simulated: false },
  { username: 'demo-manager', displayName: '热线主管 王敏', role: 'manager', department: null, sipEndpoint: null, simulated: false },
  { username: 'demo-operator', displayName: '话务员 李静', role: 'operator', department: null, sipEndpoint: 'demo-op', simulated: false },
  { username: 'demo-sim-op1', displayName: '话务员 赵一（模拟）', role: 'operator', department: null, sipEndpoint: 'demo-sim-op1', simulated: true },
  { username: 'demo-sim-op2', displayName: '话务员 钱二（模拟）', role: 'operator', department: null, sipEndpoint: 'demo-sim-op2', simulated: true },
  { username: 'demo-head', displayName: '立案庭庭长 孙立', role: 'department_head', department: '立案庭', sipEndpoint: null, simulated: false },
  { username: 'demo-judge', displayName: '承办法官 周正', role: 'judge', department: '立案庭', sipEndpoint: null, simulated: false },
  { username: 'demo-judge2', displayName: '执行法官 吴刚', role: 'judge', department: '执行局', sipEndpoint: null, simulated: false },
];

/** A password the policy accepts: random, 20 characters. */
const newPassword = () => randomBytes(15).toString('base64url');

export async function prepareDemoCourt(db: Db): Promise<{ courtId: string; users: DemoUser[] }> {
  const courtId = await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: courts.id }).from(courts).where(eq(courts.code, demoCourt.code));
    const court = existing ?? (await tx.insert(courts).values({ code: demoCourt.code, name: demoCourt.name }).returning({ id: courts.id }))[0]!;
    for (const name of departmentNames) {
      const [dept] = await tx.select({ id: departments.id }).from(departments).where(and(eq(departments.courtId, court.id), eq(departments.name, name)));
      if (!dept) await tx.insert(departments).values({ courtId: court.id, name, extension: name === '立案庭' ? '8001' : '8002' });
    }
    await tx.execute(sql`insert into telephony.hotline_numbers (number, court_id) values (${demoCourt.number}, ${court.id}) on conflict (number) do nothing`);
    return court.id;
  });
  const deptIds = new Map((await db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.courtId, courtId))).map((d) => [d.name, d.id]));
  const out: DemoUser[] = [];
  for (const spec of specs) {
    const password = newPassword();
    const passwordHash = await hashPassword(password);
    const id = await db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.username, spec.username));
      const user =
        existing ??
        (
          await tx
            .insert(users)
            .values({ courtId, username: spec.username, displayName: spec.displayName, role: spec.role, departmentId: spec.department ? deptIds.get(spec.department)! : null, sipEndpoint: spec.sipEndpoint, extension: spec.role === 'judge' ? '13800138000' : null })
            .returning({ id: users.id })
        )[0]!;
      await tx
        .insert(credentials)
        .values({ userId: user.id, passwordHash, mustChange: false })
        .onConflictDoUpdate({ target: credentials.userId, set: { passwordHash, mustChange: false, updatedAt: new Date() } });
      return user.id;
    });
    out.push({ role: spec.role, username: spec.username, displayName: spec.displayName, password, sipEndpoint: spec.sipEndpoint, simulated: spec.simulated, id });
  }
  const [entry] = await db.select({ id: knowledgeEntries.id }).from(knowledgeEntries).where(eq(knowledgeEntries.courtId, courtId)).limit(1);
  if (!entry) await importKnowledgeForCourt(db, demoCourt.code, undefined);
  return { courtId, users: out };
}
