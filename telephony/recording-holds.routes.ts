import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../platform/db/client.ts';
import { errorBodySchema, errorResponses, idParam, type ApiApp } from '../platform/http/schemas.ts';
import { TelephonyError } from './errors.ts';
import { holderRoles } from './recordings/hold-authority.ts';
import { liftHold, listHolds, placeHold, type HoldAudit } from './recordings/holds.ts';
import { recordingKinds } from './recordings/names.ts';
import { calls } from './telephony.sql.ts';

const tags = ['telephony'];
/** Who may hold a recording: the call's court's department heads, managers and admin. */
const holders = { roles: [...holderRoles] };
const reason = z.string().trim().min(2, 'a reason of at least 2 characters / 请填写原因（至少 2 个字）').max(500, 'at most 500 characters / 原因至多 500 字');
const person = z.object({ id: z.string(), name: z.string() });
/** The placer, with the role they placed it in: lifting it needs at least that role. */
const placer = person.extend({ role: z.enum(holderRoles) });

export const holdView = z
  .object({
    id: z.string(),
    callId: z.string(),
    kind: z.enum(recordingKinds),
    callArrivedAt: z.string(),
    recordingStatus: z.string(),
    reason: z.string(),
    placedBy: placer,
    placedAt: z.string(),
    lifted: z.object({ by: person, at: z.string(), reason: z.string() }).nullable(),
    /** Whether the signed-in user may lift it (active, placed by a role no higher than theirs). */
    mayLift: z.boolean(),
  })
  .meta({ id: 'RecordingHold' });

/**
 * Legal holds on a call's recording (录音保全): the call's court's heads, managers and admin list a call's holds, put
 * one on (with a reason: a complaint, a case under review) and lift it (with a reason), if they have at least the
 * authority of whoever placed it (hold-authority.ts). A held recording is never
 * removed by retention. Each is audited (recording.hold_placed / recording.hold_lifted) with the change, and a lift
 * refused for want of authority too (recording.hold_lift_refused), the hold unchanged.
 */
export function registerRecordingHoldRoutes(app: ApiApp, o: { db: Db; audit: HoldAudit }): void {
  app.get('/api/telephony/calls/:callId/recording-holds', {
    config: holders,
    schema: { tags, summary: "A call's legal holds on its recordings, active first", params: idParam('callId'), response: { 200: z.array(holdView), ...errorResponses } },
    handler: async (request) => {
      const [call] = await o.db.select({ courtId: calls.courtId }).from(calls).where(eq(calls.id, request.params.callId)).limit(1);
      if (!call || call.courtId !== request.actor.courtId) throw new TelephonyError('call_not_found', '来电不存在', 'No such call', 404);
      return listHolds(o.db, request.actor, { callId: request.params.callId });
    },
  });

  app.post('/api/telephony/calls/:callId/recording-holds', {
    config: holders,
    schema: {
      tags,
      summary: "Put a legal hold on a call's recording (the conversation, or kind message): retention never removes it",
      params: idParam('callId'),
      body: z.strictObject({ kind: z.enum(recordingKinds).default('conversation'), reason }),
      response: { 201: z.array(holdView), 409: errorBodySchema, 410: errorBodySchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { callId } = request.params;
      await placeHold(o.db, o.audit, request.actor, { callId, kind: request.body.kind, reason: request.body.reason, ip: request.ip });
      return reply.code(201).send(await listHolds(o.db, request.actor, { callId }));
    },
  });

  app.post('/api/telephony/recording-holds/:holdId/lift', {
    config: holders,
    schema: {
      tags,
      summary: 'Lift a legal hold (with a reason), if your role is at least its placer’s; the hold stays listed as lifted',
      params: idParam('holdId'),
      body: z.strictObject({ reason }),
      response: { 200: z.array(holdView), 409: errorBodySchema, ...errorResponses },
    },
    handler: async (request) => {
      const callId = await liftHold(o.db, o.audit, request.actor, { holdId: request.params.holdId, reason: request.body.reason, ip: request.ip });
      return listHolds(o.db, request.actor, { callId });
    },
  });
}
