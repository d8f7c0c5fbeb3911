import { z } from 'zod';
import { errorBodySchema, errorResponses, idParam, type ApiApp } from '../platform/http/schemas.ts';
import type { Db } from '../platform/db/client.ts';
import type { CallControl } from './calls/call-control.ts';
import type { DialPlan } from './cases/dial-plan.ts';
import { resolveTarget, transferDirectory } from './cases/targets.ts';

const tags = ['telephony'];
const accepted = z.object({ callId: z.string(), status: z.literal('requested') }).meta({ id: 'CallControlAccepted' });
const transferBody = z
  .strictObject({
    mode: z.enum(['blind', 'attended']),
    judgeId: z.uuid().optional(),
    departmentId: z.uuid().optional(),
    number: z.string().regex(/^\+?[0-9 -]{2,24}$/, 'digits, e.g. 8001 or 037112345678').optional(),
  })
  .refine((b) => [b.judgeId, b.departmentId, b.number].filter((v) => v !== undefined).length === 1, 'name exactly one of judgeId, departmentId or number');
const directory = z
  .array(z.object({ kind: z.enum(['judge', 'department']), id: z.string(), label: z.string(), extension: z.string(), departmentId: z.string().nullable() }))
  .meta({ id: 'TransferDirectory' });

/** Transfers for the operator on a call, and the directory they transfer to (the case directory's routes: cases/routes.ts). */
export function registerTransferRoutes(app: ApiApp, db: Db, control: CallControl, plan: DialPlan): void {
  const callParams = idParam('callId');

  app.post('/api/telephony/calls/:callId/transfer', {
    config: { roles: ['operator'] },
    schema: {
      tags,
      summary: 'Transfer the caller (转接): blind, or attended (consult first, then complete or cancel), to a judge, a department or a number',
      params: callParams,
      body: transferBody,
      response: { 202: accepted, ...errorResponses, 409: errorBodySchema },
    },
    handler: async (request, reply) => {
      const { mode, ...choice } = request.body;
      const target = await resolveTarget(db, request.actor.courtId, choice.judgeId ? { judgeId: choice.judgeId } : choice.departmentId ? { departmentId: choice.departmentId } : { number: choice.number! }, plan);
      await control.send(request.actor, request.params.callId, { type: 'transfer_requested', mode, target, operatorId: request.actor.userId });
      return reply.code(202).send({ callId: request.params.callId, status: 'requested' as const });
    },
  });

  for (const [action, type] of [
    ['complete', 'transfer_complete'],
    ['cancel', 'transfer_cancel'],
  ] as const) {
    app.post(`/api/telephony/calls/:callId/transfer/${action}`, {
      config: { roles: ['operator'] },
      schema: {
        tags,
        summary: action === 'complete' ? 'Attended transfer: put the caller through to the consulted party and leave' : 'Attended transfer: drop the consulted party and return to the caller',
        params: callParams,
        response: { 202: accepted, ...errorResponses, 409: errorBodySchema },
      },
      handler: async (request, reply) => {
        await control.send(request.actor, request.params.callId, { type });
        return reply.code(202).send({ callId: request.params.callId, status: 'requested' as const });
      },
    });
  }

  app.get('/api/telephony/transfer-directory', {
    config: { roles: ['operator', 'manager'] },
    schema: { tags, summary: "The court's judges, heads and departments that have a phone to transfer to", response: { 200: directory, ...errorResponses } },
    handler: async (request) => transferDirectory(db, request.actor.courtId),
  });
}
