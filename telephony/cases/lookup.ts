import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { TransferTarget } from '../calls/types.ts';
import { dialTarget } from '../endpoints/dial-target.ts';
import type { DialPlan } from './dial-plan.ts';

export type CaseLookupResult = { found: true; target: TransferTarget; caseNumber: string } | { found: false; reason: 'unknown' | 'ambiguous' | 'no_handler' };

/** Menu option 1's case directory: keyed digits → the judge (or else the department) handling the case. */
export interface CaseLookup {
  lookup(courtId: string | null, digits: string): Promise<CaseLookupResult>;
}

/** The digits of a case number in order: what a caller keys in for it. */
export function caseDigits(caseNumber: string): string {
  return caseNumber.replace(/[^0-9]/g, '');
}

/** The shipped implementation: the case_directory table an admin imports from CSV. */
export function tableCaseLookup(db: Db, plan: DialPlan): CaseLookup {
  return {
    async lookup(courtId, digits) {
      if (!courtId || !/^[0-9]{1,32}$/.test(digits)) return { found: false, reason: 'unknown' };
      const { rows } = await db.execute<{ case_number: string; judge_id: string | null; judge_name: string | null; judge_ext: string | null; dept_id: string | null; dept_name: string | null; dept_ext: string | null }>(sql`
        select d.case_number, u.id as judge_id, u.display_name as judge_name, case when u.active then u.extension end as judge_ext,
               dep.id as dept_id, dep.name as dept_name, case when dep.active then dep.extension end as dept_ext
        from telephony.case_directory d
        left join platform.users u on u.id = d.judge_user_id
        left join platform.departments dep on dep.id = coalesce(d.department_id, u.department_id)
        where d.court_id = ${courtId} and d.digits = ${digits}
        limit 2`);
      if (rows.length === 0) return { found: false, reason: 'unknown' };
      if (rows.length > 1) return { found: false, reason: 'ambiguous' };
      const row = rows[0]!;
      const judgeDial = row.judge_ext ? dialTarget(row.judge_ext, plan.trunkDial) : null;
      if (row.judge_id && judgeDial) return { found: true, caseNumber: row.case_number, target: { kind: 'judge', userId: row.judge_id, dial: judgeDial, label: row.judge_name ?? '' } };
      const deptDial = row.dept_ext ? dialTarget(row.dept_ext, plan.trunkDial) : null;
      if (row.dept_id && deptDial) return { found: true, caseNumber: row.case_number, target: { kind: 'department', departmentId: row.dept_id, dial: deptDial, label: row.dept_name ?? '' } };
      return { found: false, reason: 'no_handler' };
    },
  };
}
