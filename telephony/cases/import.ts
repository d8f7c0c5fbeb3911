import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { TelephonyError } from '../errors.ts';
import { validateCaseRecords, type CaseRecords, type CaseRow, type CaseRowProblem } from './case-rows.ts';

export interface CaseImportPreview {
  /** Rows in the file. */
  total: number;
  /** Cases not in the directory yet. */
  created: number;
  /** Cases already there whose judge or department the file changes. */
  updated: number;
  /** Cases already there exactly as the file has them. */
  unchanged: number;
  /** Every problem; when there is any, an import would take nothing. */
  problems: CaseRowProblem[];
}

export interface CaseImportResult {
  imported: number;
  created: number;
  updated: number;
}

/** What an import of these records would do, writing nothing: every row's problem, or how many cases are new and changed. */
export async function previewCaseImport(db: Db, courtId: string, input: CaseRecords): Promise<CaseImportPreview> {
  const { rows, problems } = await validateCaseRecords(db, courtId, input);
  const total = 'records' in input ? input.records.length : 0;
  if (problems.length > 0) return { total, created: 0, updated: 0, unchanged: 0, problems };
  return { total, ...(await countChanges(db, courtId, rows)), problems };
}

/**
 * Imports the case directory (all or nothing): any problem refuses the whole input, naming every problem, and nothing
 * changes; a case already there is updated. The same for a CSV upload and an HTTP source (source.ts).
 */
export async function importCaseRecords(db: Db, courtId: string, input: CaseRecords): Promise<CaseImportResult> {
  const { rows, problems } = await validateCaseRecords(db, courtId, input);
  if (problems.length > 0) throw caseImportInvalid(problems);
  return db.transaction(async (tx) => {
    const counts = await countChanges(tx, courtId, rows);
    // One statement: the whole list lands or none of it.
    await tx.execute(sql`
      insert into telephony.case_directory (court_id, case_number, digits, judge_user_id, department_id, imported_at)
      select ${courtId}::uuid, case_number, digits, judge_user_id, department_id, now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(case_number text, digits text, judge_user_id uuid, department_id uuid)
      on conflict (court_id, case_number) do update set digits = excluded.digits, judge_user_id = excluded.judge_user_id,
        department_id = excluded.department_id, imported_at = excluded.imported_at`);
    return { imported: rows.length, created: counts.created, updated: counts.updated };
  });
}

async function countChanges(db: Pick<Db, 'execute'>, courtId: string, rows: CaseRow[]): Promise<{ created: number; updated: number; unchanged: number }> {
  const { rows: found } = await db.execute<{ existing: string; changed: string }>(sql`
    select count(*)::int as existing,
           count(*) filter (where d.judge_user_id is distinct from r.judge_user_id or d.department_id is distinct from r.department_id)::int as changed
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(case_number text, judge_user_id uuid, department_id uuid)
    join telephony.case_directory d on d.court_id = ${courtId}::uuid and d.case_number = r.case_number`);
  const existing = Number(found[0]?.existing ?? 0);
  const changed = Number(found[0]?.changed ?? 0);
  return { created: rows.length - existing, updated: changed, unchanged: existing - changed };
}

/** "第 3 行，承办法官账号：…" / "row 3, judge_username: …": one problem as a line of text. */
export function problemText(p: CaseRowProblem, lang: 'zh' | 'en'): string {
  const columnZh = p.column ? { case_number: '案号', judge_username: '承办法官账号', department: '承办部门' }[p.column] : null;
  if (lang === 'zh') return `${p.row !== null ? `第 ${p.row} 行` : '文件'}${columnZh ? `，${columnZh}` : ''}：${p.messageZh}`;
  return `${p.row !== null ? `row ${p.row}` : 'file'}${p.column ? `, ${p.column}` : ''}: ${p.messageEn}`;
}

export function caseImportInvalid(problems: CaseRowProblem[]): TelephonyError {
  const shown = (lang: 'zh' | 'en') => problems.slice(0, 20).map((p) => problemText(p, lang)).join('; ') + (problems.length > 20 ? (lang === 'zh' ? `；另有 ${problems.length - 20} 处` : `; and ${problems.length - 20} more`) : '');
  return new TelephonyError('case_import_invalid', `案件目录有误，未导入任何内容：${shown('zh')}`, `the case directory was refused, nothing imported: ${shown('en')}`);
}
