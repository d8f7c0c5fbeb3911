import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import { recordsFromCsv } from './case-rows.ts';
import { importCaseRecords, previewCaseImport } from './import.ts';

const tags = ['telephony'];
/** A CSV of up to 5,000,000 characters; Chinese text is three bytes a character in UTF-8, JSON escaping aside. */
const csvBody = z.strictObject({ csv: z.string().min(1).max(5_000_000) });
const bodyLimit = 16 * 1024 * 1024;

export const caseRowProblem = z
  .object({ row: z.number().int().nullable(), column: z.enum(['case_number', 'judge_username', 'department']).nullable(), messageZh: z.string(), messageEn: z.string() })
  .meta({ id: 'CaseRowProblem' });
const preview = z
  .object({ total: z.number().int(), created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), problems: z.array(caseRowProblem) })
  .meta({ id: 'CaseImportPreview' });
const imported = z.object({ imported: z.number().int(), created: z.number().int(), updated: z.number().int() }).meta({ id: 'CaseImportResult' });

/** The case directory's CSV import: a dry run that writes nothing, then the import (all rows or none). */
export function registerCaseImportRoutes(app: ApiApp, db: Db): void {
  app.post('/api/telephony/case-directory/preview', {
    config: { roles: ['admin'] },
    bodyLimit,
    schema: {
      tags,
      summary: 'Dry run of a case directory CSV: every row’s problem (row, column, Chinese and English), or how many cases are new, changed and unchanged; writes nothing',
      body: csvBody,
      response: { 200: preview, ...errorResponses },
    },
    handler: async (request) => previewCaseImport(db, request.actor.courtId, recordsFromCsv(request.body.csv)),
  });

  app.post('/api/telephony/case-directory/import', {
    config: { roles: ['admin'] },
    bodyLimit,
    schema: {
      tags,
      summary: 'Import the case directory (案号 → 承办法官/部门) from CSV for the voice menu; all rows or none',
      body: csvBody,
      response: { 200: imported, ...errorResponses },
    },
    handler: async (request) => importCaseRecords(db, request.actor.courtId, recordsFromCsv(request.body.csv)),
  });
}
