import { z } from 'zod';
import { courts } from '../../platform/courts.sql.ts';
import type { Db } from '../../platform/db/client.ts';
import { HotlineError } from '../../platform/errors.ts';
import { errorBodySchema, errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import { applyEndpoints, type ApplyResult } from './apply.ts';
import type { AriAccess } from './asterisk-rest.ts';
import { endpointsOverview } from './endpoint-states.ts';

/** Where an apply is audited: the api's trail (`deps.services.audit`), with its outcome. */
export interface EndpointsAudit {
  record(entry: { action: 'admin.action'; courtId: string; actorUserId: string; detail: Record<string, unknown>; ip: string }): Promise<void>;
}

const tags = ['telephony'];
const overview = z
  .object({
    dir: z.string(),
    secretSet: z.boolean(),
    filesWrittenAt: z.date().nullable(),
    asterisk: z.object({ reachable: z.boolean(), lastReloadAt: z.date().nullable(), error: z.string().nullable() }),
    deploymentPending: z.number().int(),
    ringGroupPending: z.boolean(),
    endpoints: z.array(
      z.object({
        name: z.string(),
        kind: z.enum(['operator', 'judge', 'department']),
        label: z.string(),
        state: z.enum(['applied', 'written', 'pending', 'removed']),
        pendingReason: z.enum(['new', 'changed']).nullable(),
        registered: z.boolean().nullable(),
      }),
    ),
  })
  .meta({ id: 'SipEndpointsOverview' });
const applied = z
  .object({
    outcome: z.enum(['reloaded', 'asterisk_unreachable', 'reload_refused']),
    files: z.array(z.string()),
    operators: z.number().int(),
    desks: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'SipEndpointsApplied' });

const secretUnset = () => new HotlineError('sip_secret_unset', 409, 'HOTLINE_SIP_PASSWORD_SECRET is not set: SIP passwords cannot be kept, nothing can be applied.', '未配置 HOTLINE_SIP_PASSWORD_SECRET，无法保存软电话密码，不能应用配置。');

/** PostgreSQL's lock_timeout (55P03), whether or not drizzle wrapped the driver's error. */
const lockTimedOut = (err: unknown) => [err, (err as { cause?: unknown }).cause].some((e) => (e as { code?: string } | undefined)?.code === '55P03');

/**
 * The SIP endpoints page (admin): the court's endpoints compared with Asterisk's files and with Asterisk, and the
 * apply (write the files from the database, reload through ARI). The files are the deployment's: an apply by any
 * court's admin rewrites every court's endpoints from the database, which is what they should hold anyway.
 */
export function registerEndpointsRoutes(app: ApiApp, o: { db: Db; secret: string | undefined; dir: string; ari: AriAccess; audit: EndpointsAudit }): void {
  app.get('/api/telephony/sip-endpoints', {
    config: { roles: ['admin'] },
    schema: { tags, summary: "The court's SIP endpoints (softphones, desk phones): applied, written, pending or removed, and registered", response: { 200: overview, ...errorResponses } },
    handler: async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return endpointsOverview(o.db, { courtId: request.actor.courtId, secret: o.secret, dir: o.dir, ari: o.ari });
    },
  });

  app.post('/api/telephony/sip-endpoints/apply', {
    config: { roles: ['admin'] },
    schema: {
      tags,
      summary: "Write Asterisk's endpoint files from the database (every court's) and reload PJSIP and the dialplan through ARI; one at a time; audited",
      response: { 200: applied, 409: errorBodySchema, ...errorResponses },
    },
    handler: async (request) => {
      const secret = o.secret;
      if (!secret) throw secretUnset();
      let result: ApplyResult;
      try {
        result = await applyEndpoints(o.db, { secret, dir: o.dir, ari: o.ari });
      } catch (err) {
        if (lockTimedOut(err)) throw new HotlineError('endpoints_apply_busy', 409, 'Another apply has been running for a minute: try again shortly.', '另一次应用已进行超过一分钟，请稍后再试。');
        const code = (err as NodeJS.ErrnoException).code;
        if (code && /^E[A-Z]+$/.test(code)) {
          throw new HotlineError('endpoints_write_failed', 409, `The files could not be written in ${o.dir} (${code}): nothing changed. Check TELEPHONY_ASTERISK_CONFIG_DIR.`, `无法在 ${o.dir} 写入配置文件（${code}），未作任何更改。请检查 TELEPHONY_ASTERISK_CONFIG_DIR。`);
        }
        throw err;
      }
      const { deskPasswords: _never, outcome, ...rest } = result;
      const answer = { ...rest, outcome: outcome === 'not_reloaded' ? ('reload_refused' as const) : outcome };
      // The files are the deployment's: every court's endpoints were rewritten (and reloaded), so every court's trail
      // says so, naming the acting court when it is another.
      const detail = { change: 'sip_endpoints.applied', outcome: answer.outcome, operators: answer.operators, desks: answer.desks, ...(answer.error ? { error: answer.error } : {}) };
      const all = (await o.db.select({ id: courts.id }).from(courts)).map((c) => c.id);
      for (const courtId of [request.actor.courtId, ...all.filter((id) => id !== request.actor.courtId)]) {
        const byOther = courtId === request.actor.courtId ? {} : { actingCourtId: request.actor.courtId };
        await o.audit.record({ action: 'admin.action', courtId, actorUserId: request.actor.userId, detail: { ...detail, ...byOther }, ip: request.ip });
      }
      return answer;
    },
  });
}
