import send from '@fastify/send';
import { and, eq } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { errorBodySchema, errorResponses, idParam, type ApiApp } from '../platform/http/schemas.ts';
import type { Db } from '../platform/db/client.ts';
import { HotlineError } from '../platform/errors.ts';
import { TelephonyError } from './errors.ts';
import { recordingKinds } from './recordings/names.ts';
import { recordings } from './recordings/recordings.sql.ts';
import { calls } from './telephony.sql.ts';

const query = z.strictObject({
  kind: z.enum(recordingKinds).default('conversation'),
  /** 1: sent as an attachment (download) rather than for the player. */
  download: z.enum(['0', '1']).optional(),
});

/**
 * Where a playback is audited: the api capability's audit trail (`deps.services.audit`), beside sign-ins and
 * permission changes.
 */
export interface PlaybackAudit {
  record(entry: { action: 'recording.played'; courtId: string; actorUserId: string; targetType: 'call'; targetId: string; detail: Record<string, unknown>; ip: string }): Promise<void>;
}

const notRecorded = () => new HotlineError('recording_not_found', 404, 'This call has no such recording (yet)', '该来电没有此录音（或尚未保存）');

/**
 * Playback and download of a call's recording. Managers of the court hear every call; an operator hears the
 * conversations they answered, and the messages callers left with the court (any operator may call back).
 * Each playback is audited (`recording.played`): a request from the first byte, not each range a player
 * asks for while seeking.
 */
export function registerRecordingRoutes(app: ApiApp, o: { db: Db; dir: string; audit: PlaybackAudit }): void {
  app.get('/api/telephony/calls/:callId/recording', {
    config: { roles: ['operator', 'manager'] },
    schema: {
      tags: ['telephony'],
      summary: "A call's recording as audio/wav (the conversation, or ?kind=message), with Range support; every playback is audited",
      params: idParam('callId'),
      querystring: query,
      response: { ...errorResponses, 410: errorBodySchema, 416: errorBodySchema },
    },
    handler: async (request, reply) => {
      const { actor } = request;
      const { callId } = request.params;
      const { kind, download } = request.query;
      const [call] = await o.db.select({ courtId: calls.courtId, answeredBy: calls.answeredBy }).from(calls).where(eq(calls.id, callId)).limit(1);
      if (!call || call.courtId !== actor.courtId) throw new TelephonyError('call_not_found', '来电不存在', 'No such call', 404);
      if (actor.role === 'operator' && kind === 'conversation' && call.answeredBy !== actor.userId) {
        throw new TelephonyError('not_your_call', '只能收听自己接听的来电录音', 'Operators may hear only the calls they answered', 403);
      }
      const [recording] = await o.db.select().from(recordings).where(and(eq(recordings.callId, callId), eq(recordings.kind, kind)));
      if (!recording || recording.status === 'missing' || !recording.path) throw notRecorded();
      if (recording.status === 'removed') throw new HotlineError('recording_removed', 410, 'The recording was deleted at the end of its retention period', '录音已超过保存期限并被删除');

      const file = await send(request.raw, `/${recording.path}`, { root: o.dir, cacheControl: false, dotfiles: 'deny' });
      if (file.type !== 'file') {
        if (file.statusCode === 416) throw new HotlineError('range_not_satisfiable', 416, 'The requested range is outside the recording', '请求的范围超出录音长度');
        if (file.statusCode !== 304) {
          request.log.error({ callId, path: recording.path }, 'a stored recording is missing from the recordings directory');
          throw notRecorded();
        }
      }
      const range = request.headers.range;
      if (file.statusCode < 300 && (!range || /^bytes=0-/.test(range))) {
        await o.audit.record({ action: 'recording.played', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'call', targetId: callId, detail: { kind, download: download === '1' }, ip: request.ip });
      }
      // The body is the file's stream (a 200 or 206 of audio), outside the JSON response schemas.
      const raw = reply as unknown as FastifyReply;
      raw.code(file.statusCode).headers(file.headers).header('content-type', 'audio/wav');
      if (download === '1') raw.header('content-disposition', `attachment; filename="${recording.path.split('/').pop()}"`);
      return raw.send(file.stream);
    },
  });
}
