import { parse } from 'csv-parse/sync';
import { and, eq, inArray } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import { parseCaseNumber } from '../../tickets/case-number.ts';
import { TelephonyError } from '../errors.ts';
import { caseDigits } from './lookup.ts';

/** Accepted header names per column (Chinese or English). */
const columns = {
  caseNumber: ['案号', 'case_number'],
  judge: ['承办法官账号', 'judge_username'],
  department: ['承办部门', 'department'],
} as const;

const maxRows = 50_000;

export interface CaseImportResult {
  imported: number;
}

/**
 * Imports the case directory from CSV (UTF-8, header row: 案号/case_number, 承办法官账号/judge_username,
 * 承办部门/department; a row names a judge, a department or both). All or nothing: any bad row refuses the
 * whole file with every problem listed, and nothing changes. A case already there is updated.
 */
export async function importCaseDirectory(db: Db, courtId: string, csv: string): Promise<CaseImportResult> {
  let records: Record<string, string>[];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (err) {
    throw invalid([`CSV: ${(err as Error).message}`]);
  }
  if (records.length === 0) throw invalid(['no rows after the header']);
  if (records.length > maxRows) throw invalid([`at most ${maxRows} rows per file`]);
  const pick = (row: Record<string, string>, names: readonly string[]) => names.map((n) => row[n]).find((v) => v !== undefined)?.trim() ?? '';
  const headers = Object.keys(records[0]!);
  if (!columns.caseNumber.some((c) => headers.includes(c))) throw invalid([`a column named ${columns.caseNumber.join(' or ')} is required`]);

  const [judges, depts] = await Promise.all([
    db.select({ id: users.id, username: users.username }).from(users).where(and(eq(users.courtId, courtId), inArray(users.role, ['judge', 'department_head']))),
    db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.courtId, courtId)),
  ]);
  const judgeByName = new Map(judges.map((j) => [j.username, j.id]));
  const deptByName = new Map(depts.map((d) => [d.name, d.id]));
  const problems: string[] = [];
  const rows = new Map<string, { case_number: string; digits: string; judge_user_id: string | null; department_id: string | null }>();
  records.forEach((record, i) => {
    const line = i + 2;
    const parsed = parseCaseNumber(pick(record, columns.caseNumber));
    const judgeName = pick(record, columns.judge);
    const deptName = pick(record, columns.department);
    if (!parsed.ok) return void problems.push(`row ${line}: ${parsed.error.message}`);
    const judgeId = judgeName ? judgeByName.get(judgeName) : undefined;
    const deptId = deptName ? deptByName.get(deptName) : undefined;
    if (judgeName && !judgeId) problems.push(`row ${line}: no judge or head with username "${judgeName}" in this court`);
    if (deptName && !deptId) problems.push(`row ${line}: no department named "${deptName}" in this court`);
    if (!judgeName && !deptName) problems.push(`row ${line}: name a judge, a department or both`);
    const normalized = parsed.value.normalized;
    if (rows.has(normalized)) problems.push(`row ${line}: ${normalized} appears twice`);
    rows.set(normalized, { case_number: normalized, digits: caseDigits(normalized), judge_user_id: judgeId ?? null, department_id: deptId ?? null });
  });
  if (problems.length > 0) throw invalid(problems);

  // One statement: the whole file lands or none of it.
  await db.execute(sql`
    insert into telephony.case_directory (court_id, case_number, digits, judge_user_id, department_id, imported_at)
    select ${courtId}::uuid, case_number, digits, judge_user_id, department_id, now()
    from jsonb_to_recordset(${JSON.stringify([...rows.values()])}::jsonb) as r(case_number text, digits text, judge_user_id uuid, department_id uuid)
    on conflict (court_id, case_number) do update set digits = excluded.digits, judge_user_id = excluded.judge_user_id,
      department_id = excluded.department_id, imported_at = excluded.imported_at`);
  return { imported: rows.size };
}

function invalid(problems: string[]): TelephonyError {
  const shown = problems.slice(0, 20).join('; ') + (problems.length > 20 ? `; and ${problems.length - 20} more` : '');
  return new TelephonyError('case_import_invalid', `案件目录文件有误，未导入任何内容：${shown}`, `the case directory file was refused, nothing imported: ${shown}`);
}
