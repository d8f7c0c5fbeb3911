import { parse } from 'csv-parse/sync';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import { parseCaseNumber } from '../../tickets/case-number.ts';
import { caseDigits } from './lookup.ts';

/** Accepted names per column (Chinese or English), in a CSV header row or a JSON object's keys. */
export const caseColumns = {
  case_number: ['案号', 'case_number'],
  judge_username: ['承办法官账号', 'judge_username'],
  department: ['承办部门', 'department'],
} as const;
export type CaseColumn = keyof typeof caseColumns;

export const maxCaseRows = 50_000;

/** One problem of a case list: the row (as numbered in the file; null for the whole file), the column, both languages. */
export interface CaseRowProblem {
  row: number | null;
  column: CaseColumn | null;
  messageZh: string;
  messageEn: string;
}

export interface CaseRow {
  case_number: string;
  digits: string;
  judge_user_id: string | null;
  department_id: string | null;
}

/** Records with the row number each came from: a CSV's line (the header is row 1), a JSON array's position (from 1). */
export type CaseRecords = { records: Record<string, unknown>[]; firstRow: number } | { problems: CaseRowProblem[] };

const fileProblem = (messageZh: string, messageEn: string): CaseRowProblem => ({ row: null, column: null, messageZh, messageEn });

export function recordsFromCsv(csv: string): CaseRecords {
  try {
    const records = parse(csv.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as Record<string, string>[];
    return { records, firstRow: 2 };
  } catch (err) {
    return { problems: [fileProblem(`CSV 格式有误：${(err as Error).message}`, `CSV: ${(err as Error).message}`)] };
  }
}

/** A JSON array of objects, or `{"cases": [...]}`, with the CSV's column names as keys. */
export function recordsFromJson(text: string): CaseRecords {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { problems: [fileProblem(`JSON 格式有误：${(err as Error).message}`, `JSON: ${(err as Error).message}`)] };
  }
  const list = Array.isArray(value) ? value : (value as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(list) || list.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    return { problems: [fileProblem('JSON 应为对象数组，或 {"cases": [对象…]}', 'JSON must be an array of objects, or {"cases": [objects…]}')] };
  }
  return { records: list as Record<string, unknown>[], firstRow: 1 };
}

/**
 * Checks every record against the court's judges and departments: each row's problems, or the rows to write. The one
 * validation of the case list, whether it came from a CSV upload or an HTTP source.
 */
export async function validateCaseRecords(db: Pick<Db, 'select'>, courtId: string, input: CaseRecords): Promise<{ rows: CaseRow[]; problems: CaseRowProblem[] }> {
  if ('problems' in input) return { rows: [], problems: input.problems };
  const { records, firstRow } = input;
  if (records.length === 0) return { rows: [], problems: [fileProblem('表头之后没有数据行', 'no rows after the header')] };
  if (records.length > maxCaseRows) return { rows: [], problems: [fileProblem(`每个文件至多 ${maxCaseRows} 行`, `at most ${maxCaseRows} rows per file`)] };
  const keys = new Set(records.flatMap((r) => Object.keys(r)));
  if (!caseColumns.case_number.some((c) => keys.has(c))) {
    return { rows: [], problems: [fileProblem(`缺少列：${caseColumns.case_number.join(' 或 ')}`, `a column named ${caseColumns.case_number.join(' or ')} is required`)] };
  }
  const pick = (record: Record<string, unknown>, column: CaseColumn) => {
    const v = caseColumns[column].map((n) => record[n]).find((x) => x !== undefined && x !== null);
    return v === undefined || v === null ? '' : String(v).trim();
  };

  const [judges, depts] = await Promise.all([
    db.select({ id: users.id, username: users.username }).from(users).where(and(eq(users.courtId, courtId), inArray(users.role, ['judge', 'department_head']))),
    db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.courtId, courtId)),
  ]);
  const judgeByName = new Map(judges.map((j) => [j.username, j.id]));
  const deptByName = new Map(depts.map((d) => [d.name, d.id]));
  const problems: CaseRowProblem[] = [];
  const rows = new Map<string, CaseRow>();
  records.forEach((record, i) => {
    const row = i + firstRow;
    const say = (column: CaseColumn | null, messageZh: string, messageEn: string) => problems.push({ row, column, messageZh, messageEn });
    const parsed = parseCaseNumber(pick(record, 'case_number'));
    const judgeName = pick(record, 'judge_username');
    const deptName = pick(record, 'department');
    if (!parsed.ok) return void say('case_number', parsed.error.messageZh, parsed.error.message);
    const judgeId = judgeName ? judgeByName.get(judgeName) : undefined;
    const deptId = deptName ? deptByName.get(deptName) : undefined;
    if (judgeName && !judgeId) say('judge_username', `本院没有账号为“${judgeName}”的法官或庭长`, `no judge or head with username "${judgeName}" in this court`);
    if (deptName && !deptId) say('department', `本院没有名为“${deptName}”的部门`, `no department named "${deptName}" in this court`);
    if (!judgeName && !deptName) say(null, '须填写承办法官账号或承办部门（或两者）', 'name a judge, a department or both');
    const normalized = parsed.value.normalized;
    if (rows.has(normalized)) say('case_number', `${normalized} 重复出现`, `${normalized} appears twice`);
    rows.set(normalized, { case_number: normalized, digits: caseDigits(normalized), judge_user_id: judgeId ?? null, department_id: deptId ?? null });
  });
  return { rows: problems.length > 0 ? [] : [...rows.values()], problems };
}
