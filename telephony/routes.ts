import { z } from 'zod';
import { errorBodySchema, errorResponses, type ApiApp } from '../platform/http/schemas.ts';
import { maskPhone } from '../platform/masking.ts';
import type { Actor } from '../platform/user-roles.ts';
import { callOutcomes } from './calls/types.ts';
import { chosenStates, presenceStates } from './presence/presence-state.ts';
import type { TelephonyService } from './service.ts';

/** What the caller-history route needs of the tickets capability (its service's `callerHistory`). */
export interface CallerTickets {
  callerHistory(actor: Actor, callerNumber: string): Promise<Array<{ id: string; number: string; stage: string; category: string; summary: string; callerNumber: string | null; createdAt: Date | string }>>;
}

const tags = ['telephony'];
const iso = z.string().nullable();
const presenceView = z.object({ state: z.enum(presenceStates), reason: z.string().nullable(), since: iso, wrapUpEndsAt: iso }).meta({ id: 'PresenceView' });
const presenceChange = z.strictObject({
  state: z.enum(chosenStates),
  reason: z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N} _.-]+$/u, 'letters, digits, spaces, "_", "." or "-"').optional(),
});
const queueSnapshot = z
  .object({
    waiting: z.array(z.object({ callId: z.string(), position: z.number().int(), waitedMs: z.number() })),
    operators: z.array(z.object({ userId: z.string(), state: z.enum(presenceStates), reason: z.string().nullable(), since: iso, skills: z.array(z.string()) })),
  })
  .meta({ id: 'QueueSnapshot' });
const callerParams = z.strictObject({ callerNumber: z.string().regex(/^\+?[0-9]{3,20}$/, 'digits only, e.g. 13812345678') });
const callerHistory = z
  .object({
    calls: z.array(z.object({ callId: z.string(), arrivedAt: z.string(), outcome: z.enum(callOutcomes).nullable(), skill: z.string().nullable(), answeredBy: z.string().nullable() })),
    tickets: z.array(z.object({ id: z.string(), number: z.string(), stage: z.string(), category: z.string(), summary: z.string(), callerNumber: z.string().nullable(), createdAt: z.string() })),
  })
  .meta({ id: 'CallerHistory' });

/** Presence for operators, the live queue for the desk and the wallboard, a caller's calls and tickets. */
export function registerTelephonyRoutes(app: ApiApp, service: TelephonyService, tickets: CallerTickets): void {
  app.get('/api/presence/me', {
    config: { roles: ['operator'] },
    schema: { tags, summary: "The signed-in operator's presence (坐席状态)", response: { 200: presenceView, ...errorResponses } },
    handler: async (request) => service.presenceOf(request.actor.userId),
  });

  app.put('/api/presence/me', {
    config: { roles: ['operator'] },
    schema: {
      tags,
      summary: 'Choose ready, paused (with a reason) or logged_out; calls set the other states',
      body: presenceChange,
      response: { 200: presenceView, ...errorResponses, 409: errorBodySchema },
    },
    handler: async (request) => {
      await service.setPresence(request.actor.userId, request.body.state, request.body.reason);
      return service.presenceOf(request.actor.userId);
    },
  });

  app.get('/api/telephony/queue', {
    config: { roles: ['operator', 'manager'] },
    schema: { tags, summary: "The court's waiting callers and operators' states, live (the wallboard and the desk)", response: { 200: queueSnapshot, ...errorResponses } },
    handler: async (request) => {
      const snapshot = await service.queueSnapshot(request.actor.courtId);
      return {
        waiting: snapshot.waiting,
        operators: snapshot.operators.map((o) => ({ ...o, reason: o.reason || null, since: o.since ? new Date(o.since).toISOString() : null })),
      };
    },
  });

  app.get('/api/telephony/callers/:callerNumber/history', {
    config: { roles: ['operator', 'manager'] },
    schema: { tags, summary: "A caller's calls to this court and their tickets, newest first (numbers masked)", params: callerParams, response: { 200: callerHistory, ...errorResponses } },
    handler: async (request) => {
      const { callerNumber } = request.params;
      const [calls, found] = await Promise.all([service.callerHistory(callerNumber, request.actor.courtId), tickets.callerHistory(request.actor, callerNumber)]);
      return {
        calls,
        tickets: found.map((t) => ({
          id: t.id,
          number: t.number,
          stage: t.stage,
          category: t.category,
          summary: t.summary,
          callerNumber: maskPhone(t.callerNumber),
          createdAt: new Date(t.createdAt).toISOString(),
        })),
      };
    },
  });
}
