import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../platform/directory.sql.ts';
import { errorBodySchema, errorResponses, idParam, type ApiApp } from '../../platform/http/schemas.ts';
import type { Db } from '../../platform/db/client.ts';
import { maskPhone } from '../../platform/masking.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { SupervisionControl } from './control.ts';
import { readCallSettings, writeCallSettings } from './settings.ts';
import { supervisionModes } from './types.ts';

const tags = ['telephony'];
const supervisors = { roles: ['department_head', 'manager'] as ('department_head' | 'manager')[] };
const modeBody = z.strictObject({ mode: z.enum(supervisionModes) });
const accepted = z.object({ callId: z.string(), mode: z.enum(supervisionModes).nullable(), status: z.enum(['requested', 'unchanged']) }).meta({ id: 'SupervisionAccepted' });
const supervisionView = z.object({ supervisorId: z.string(), supervisorName: z.string(), mode: z.enum(supervisionModes), status: z.enum(['ringing', 'active']), since: z.string() });
const liveCalls = z
  .array(z.object({ callId: z.string(), operatorId: z.string(), operatorName: z.string(), callerNumberMasked: z.string(), answeredAt: z.string().nullable(), supervision: supervisionView.nullable() }))
  .meta({ id: 'SupervisableCalls' });
const settingsView = z.object({ supervisionNotice: z.boolean(), recordingNotice: z.boolean() }).meta({ id: 'CallSettings' });
const settingsBody = z.strictObject({ supervisionNotice: z.boolean().optional(), recordingNotice: z.boolean().optional() });

/** Listen, whisper and barge for a court's heads and managers (supervision/), and the court's call settings. */
export function registerSupervisionRoutes(app: ApiApp, d: { db: Db; store: Pick<CallStore, 'listAcrossNodes'>; control: SupervisionControl; changed(): void }): void {
  const callParams = idParam('callId');

  app.get('/api/telephony/supervision/calls', {
    config: supervisors,
    schema: { tags, summary: "The court's calls a supervisor can join now (caller and operator talking), with who supervises each", response: { 200: liveCalls, ...errorResponses } },
    handler: async (request) => {
      const courtId = request.actor.courtId;
      const [snapshots, views] = await Promise.all([d.store.listAcrossNodes(), d.control.views(courtId)]);
      const byCall = new Map(views.map((v) => [v.callId, v]));
      const live = snapshots
        .map((snapshot) => snapshot.state)
        .filter((s) => s.courtId === courtId && s.phase === 'connected' && s.operator && !s.operatorLeft)
        .sort((a, b) => (a.answeredAt ?? 0) - (b.answeredAt ?? 0));
      const ids = [...new Set(live.flatMap((s) => [s.operator!.userId, byCall.get(s.callId)?.supervisorId ?? s.operator!.userId]))];
      const people = ids.length ? await d.db.select({ id: users.id, name: users.displayName }).from(users).where(and(inArray(users.id, ids), eq(users.courtId, courtId))) : [];
      const nameOf = new Map(people.map((p) => [p.id, p.name]));
      return live.map((s) => {
          const v = byCall.get(s.callId);
          return {
            callId: s.callId,
            operatorId: s.operator!.userId,
            operatorName: nameOf.get(s.operator!.userId) ?? '',
            callerNumberMasked: maskPhone(s.callerNumber) ?? '',
            answeredAt: s.answeredAt ? new Date(s.answeredAt).toISOString() : null,
            supervision: v ? { supervisorId: v.supervisorId, supervisorName: nameOf.get(v.supervisorId) ?? '', mode: v.mode, status: v.status, since: new Date(v.since).toISOString() } : null,
          };
        });
    },
  });

  app.put('/api/telephony/calls/:callId/supervision', {
    config: supervisors,
    schema: {
      tags,
      summary: "Join a live call from one's own phone, or switch mode: listen (监听, heard by no one), whisper (耳语, heard by the operator only), barge (强插, a three-way call)",
      params: callParams,
      body: modeBody,
      response: { 202: accepted, ...errorResponses, 409: errorBodySchema, 503: errorBodySchema },
    },
    handler: async (request, reply) => {
      const done = await d.control.join(request.actor, request.params.callId, request.body.mode);
      return reply.code(202).send({ callId: request.params.callId, mode: request.body.mode, status: done === 'unchanged' ? ('unchanged' as const) : ('requested' as const) });
    },
  });

  app.delete('/api/telephony/calls/:callId/supervision', {
    config: supervisors,
    schema: { tags, summary: 'Leave a supervised call (a manager may end anyone’s supervision of the court); the call goes on', params: callParams, response: { 202: accepted, ...errorResponses, 503: errorBodySchema } },
    handler: async (request, reply) => {
      await d.control.leave(request.actor, request.params.callId);
      return reply.code(202).send({ callId: request.params.callId, mode: null, status: 'requested' as const });
    },
  });

  app.get('/api/telephony/call-settings', {
    config: { roles: ['operator', 'department_head', 'manager', 'admin'] },
    schema: { tags, summary: "The court's call settings: the supervision notice on the operator's console, the recording notice before the menu", response: { 200: settingsView, ...errorResponses } },
    handler: async (request) => readCallSettings(d.db, request.actor.courtId),
  });

  app.put('/api/telephony/call-settings', {
    config: { roles: ['manager', 'admin'] },
    schema: { tags, summary: "Set the court's call settings (both off by default)", body: settingsBody, response: { 200: settingsView, ...errorResponses } },
    handler: async (request) => {
      const settings = await writeCallSettings(d.db, request.actor, request.body);
      d.changed();
      return settings;
    },
  });
}
