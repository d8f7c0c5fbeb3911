import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { HotlineError } from '../../platform/errors.ts';
import { errorBodySchema, errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import { getCaseSource, removeCaseSource, setCaseSource, syncCaseSource, type SyncOutcome } from './source.ts';

/** Where source changes and syncs are audited: the api's trail (`deps.services.audit`), with what changed and the result. */
export interface CaseSourceAudit {
  record(entry: { action: 'admin.action'; courtId: string; actorUserId: string | null; detail: Record<string, unknown>; ip?: string }): Promise<void>;
}

const tags = ['telephony'];
const view = z
  .object({
    url: z.string(),
    hasToken: z.boolean(),
    everyMinutes: z.number().int(),
    updatedAt: z.date(),
    lastSyncAt: z.date().nullable(),
    lastResult: z.enum(['ok', 'failed']).nullable(),
    lastTrigger: z.enum(['manual', 'schedule']).nullable(),
    lastError: z.string().nullable(),
    lastErrorZh: z.string().nullable(),
    lastTotal: z.number().int().nullable(),
    lastCreated: z.number().int().nullable(),
    lastUpdated: z.number().int().nullable(),
  })
  .meta({ id: 'CaseSource' });
const body = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'an http:// or https:// address / 须为 http:// 或 https:// 地址' })
    .max(2000),
  /** A new bearer token; null removes the one kept; absent keeps it. */
  token: z.string().min(1).max(4096).nullable().optional(),
  everyMinutes: z.number().int().min(15).max(10_080).default(60),
});
const synced = z
  .object({ result: z.enum(['ok', 'failed']), total: z.number().int(), created: z.number().int(), updated: z.number().int(), error: z.string().nullable(), errorZh: z.string().nullable(), source: view })
  .meta({ id: 'CaseSourceSynced' });

const noSource = () => new HotlineError('case_source_not_found', 404, 'No case system is connected for this court.', '本院尚未对接案件系统。');
/** The address without its query or credentials, for the audit trail (a query may carry a key). */
const auditedUrl = (url: string) => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
};
export const syncDetail = (o: SyncOutcome, trigger: 'manual' | 'schedule') => ({
  change: 'case_source.synced',
  trigger,
  result: o.result,
  ...(o.result === 'ok' ? { total: o.total, created: o.created, updated: o.updated } : { error: o.error }),
});

/**
 * A court's case system as an HTTP source of the case directory (admin): see it (never its token), set or remove it,
 * and sync it now; the workers sync it on its interval (register.ts).
 */
export function registerCaseSourceRoutes(app: ApiApp, o: { db: Db; secret: string | undefined; audit: CaseSourceAudit }): void {
  app.get('/api/telephony/case-source', {
    config: { roles: ['admin'] },
    schema: { tags, summary: "The court's case system source (URL, interval, whether a token is kept, the last sync); null when none", response: { 200: z.object({ source: view.nullable() }), ...errorResponses } },
    handler: async (request) => ({ source: await getCaseSource(o.db, request.actor.courtId) }),
  });

  app.put('/api/telephony/case-source', {
    config: { roles: ['admin'] },
    schema: { tags, summary: 'Connect (or change) the case system: a URL answering JSON or CSV in the import’s columns, an optional bearer token (kept sealed), the sync interval', body, response: { 200: view, 409: errorBodySchema, ...errorResponses } },
    handler: async (request) => {
      const { actor } = request;
      const source = await setCaseSource(o.db, { courtId: actor.courtId, actorUserId: actor.userId, secret: o.secret, input: request.body });
      await o.audit.record({
        action: 'admin.action',
        courtId: actor.courtId,
        actorUserId: actor.userId,
        detail: { change: 'case_source.set', url: auditedUrl(source.url), everyMinutes: source.everyMinutes, token: request.body.token === undefined ? 'kept' : request.body.token === null ? 'removed' : 'set' },
        ip: request.ip,
      });
      return source;
    },
  });

  app.delete('/api/telephony/case-source', {
    config: { roles: ['admin'] },
    schema: { tags, summary: 'Disconnect the case system (the cases already imported stay)', response: { 204: z.null(), ...errorResponses } },
    handler: async (request, reply) => {
      if (!(await removeCaseSource(o.db, request.actor.courtId))) throw noSource();
      return reply.code(204).send(null);
    },
  });

  app.post('/api/telephony/case-source/sync', {
    config: { roles: ['admin'] },
    schema: { tags, summary: 'Fetch the case system now and import its list (all or nothing; a failure changes no case)', response: { 200: synced, ...errorResponses } },
    handler: async (request) => {
      const { actor } = request;
      const outcome = await syncCaseSource(o.db, { courtId: actor.courtId, secret: o.secret, trigger: 'manual' });
      if (!outcome) throw noSource();
      await o.audit.record({ action: 'admin.action', courtId: actor.courtId, actorUserId: actor.userId, detail: syncDetail(outcome, 'manual'), ip: request.ip });
      return { ...outcome, source: (await getCaseSource(o.db, actor.courtId))! };
    },
  });
}
