import { z } from 'zod';
import type { Db } from '../platform/db/client.ts';
import { errorResponses, type ApiApp } from '../platform/http/schemas.ts';
import { listHolds } from './recordings/holds.ts';
import { holdView } from './recording-holds.routes.ts';
import { readRetention, retentionBounds, retentionDays, retentionEffect, writeRetention } from './recordings/retention.ts';

const tags = ['telephony'];

const retentionView = z
  .object({
    days: z.number(),
    /** False: the court has not set its own; the deployment's default applies. */
    own: z.boolean(),
    defaultDays: z.number(),
    min: z.number(),
    max: z.number(),
    updatedAt: z.string().nullable(),
    /** What `days` (or the ?days= asked about) does now. */
    effect: z.object({ days: z.number(), stored: z.number(), held: z.number(), dueNow: z.number(), oldestKeptExpiresAt: z.string().nullable() }),
    /** When the daily removal runs next (null: not known, e.g. Redis away). */
    nextRunAt: z.string().nullable(),
  })
  .meta({ id: 'RecordingRetention' });

export interface RetentionRoutesOptions {
  db: Db;
  defaultDays: number;
  nextRunAt(): Promise<Date | null>;
}

/**
 * A court's recording retention (录音保存期限), its admin's setting: read it with what it does now (how many
 * recordings the next daily run removes, when the oldest one kept expires; `?days=` previews another value before it
 * is saved), and set it (the api's hook audits it as admin.action). The next daily run uses it; legal holds are listed
 * beside it.
 */
export function registerRecordingRetentionRoutes(app: ApiApp, o: RetentionRoutesOptions): void {
  const view = async (courtId: string, asked?: number) => {
    const setting = await readRetention(o.db, courtId, o.defaultDays);
    const days = asked ?? setting.days;
    const [effect, next] = await Promise.all([retentionEffect(o.db, courtId, days, new Date()), o.nextRunAt().catch(() => null)]);
    return { days: setting.days, own: setting.own, defaultDays: o.defaultDays, ...retentionBounds, updatedAt: setting.updatedAt, effect: { days, ...effect }, nextRunAt: next?.toISOString() ?? null };
  };

  app.get('/api/telephony/recording-retention', {
    config: { roles: ['admin'] },
    schema: {
      tags,
      summary: "The court's recording retention and what it removes at the next daily run (?days= previews another value)",
      querystring: z.strictObject({ days: z.coerce.number().pipe(retentionDays).optional() }),
      response: { 200: retentionView, ...errorResponses },
    },
    handler: async (request) => view(request.actor.courtId, request.query.days),
  });

  app.put('/api/telephony/recording-retention', {
    config: { roles: ['admin'] },
    schema: { tags, summary: "Set the court's recording retention in days (used from the next daily run)", body: z.strictObject({ days: retentionDays }), response: { 200: retentionView, ...errorResponses } },
    handler: async (request) => {
      await writeRetention(o.db, request.actor, request.body.days);
      request.log.info({ actor: request.actor.userId, days: request.body.days }, 'recording retention set');
      return view(request.actor.courtId);
    },
  });

  app.get('/api/telephony/recording-holds', {
    config: { roles: ['admin', 'manager'] },
    schema: {
      tags,
      summary: "The court's legal holds on recordings, active first (?active=1: only those not lifted)",
      querystring: z.strictObject({ active: z.enum(['0', '1']).optional() }),
      response: { 200: z.array(holdView), ...errorResponses },
    },
    handler: async (request) => listHolds(o.db, request.actor, { activeOnly: request.query.active === '1' }),
  });
}
