import send from '@fastify/send';
import { and, eq } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { HotlineError } from '../../platform/errors.ts';
import { calendarDate, errorBodySchema, errorResponses, idParam, type ApiApp } from '../../platform/http/schemas.ts';
import type { Sealing } from '../../platform/seals/seals.ts';
import type { PlaybackAudit } from '../recording.routes.ts';
import { recordings } from '../recordings/recordings.sql.ts';
import { listReviews, reviewDetail } from './queries.ts';
import { acceptReview, amendReview, appealReview, decideAppeal, readReview, reviewStatuses, scoreReview } from './reviews.ts';

const tags = ['telephony'];
const readers = { roles: ['operator', 'department_head', 'manager'] } as const;
const reviewers = { roles: ['department_head', 'manager'] } as const;
const text = (max: number, zh: string) => z.string().trim().min(2, `at least 2 characters / ${zh}至少 2 个字`).max(max, `at most ${max} characters / 至多 ${max} 字`);
const points = z.record(z.string().max(64), z.number().int().min(0).max(100));
const fatalFailed = z.array(z.string().max(64)).max(50).default([]);
const detail = z.any().meta({ id: 'QualityReview' });
const conflicts = { 409: errorBodySchema };
export interface QualityRouteDeps {
  db: Db;
  seals: Sealing;
  dir: string;
  audit: PlaybackAudit;
}

/**
 * Reviews (质检): the court's heads and managers score sampled calls; the operator sees their own, accepts or appeals
 * once; the manager decides. Every change is refused on a locked review (409 review_locked), except a manager's
 * sealed note (amendments), which changes nothing of the review.
 */
export function registerQualityReviewRoutes(app: ApiApp, d: QualityRouteDeps): void {
  const base = '/api/telephony/quality/reviews';
  const answer = (id: string) => reviewDetail(d.db, id);

  app.get(base, {
    config: readers,
    schema: {
      tags,
      summary: "Sampled calls and their reviews (an operator: their own), newest call first",
      querystring: z.strictObject({ week: calendarDate.optional(), status: z.enum(reviewStatuses).optional(), operatorId: z.uuid().optional() }),
      response: { 200: z.array(z.any()), ...errorResponses },
    },
    handler: (request) => listReviews(d.db, request.actor, request.query),
  });

  app.get(`${base}/:reviewId`, {
    config: readers,
    schema: { tags, summary: 'A review: the call, the form, the scores, the appeal and its sealed trail', params: idParam('reviewId'), response: { 200: detail, ...errorResponses } },
    handler: async (request) => {
      await readReview(d.db, request.actor, request.params.reviewId);
      return answer(request.params.reviewId);
    },
  });

  app.get(`${base}/:reviewId/audio`, {
    config: readers,
    schema: { tags, summary: "The reviewed call's recording as audio/wav (Range supported); audited as a playback", params: idParam('reviewId'), response: { ...errorResponses, 410: errorBodySchema } },
    handler: async (request, reply) => {
      const review = await readReview(d.db, request.actor, request.params.reviewId);
      const [recording] = await d.db.select().from(recordings).where(and(eq(recordings.callId, review.callId), eq(recordings.kind, 'conversation')));
      if (!recording?.path || recording.status === 'missing') throw new HotlineError('recording_not_found', 404, 'This call has no recording', '该来电没有录音');
      if (recording.status === 'removed') throw new HotlineError('recording_removed', 410, 'The recording was deleted at the end of its retention period', '录音已超过保存期限并被删除');
      const file = await send(request.raw, `/${recording.path}`, { root: d.dir, cacheControl: false, dotfiles: 'deny' });
      if (file.type !== 'file' && file.statusCode !== 304) throw new HotlineError('recording_not_found', 404, 'This call has no recording', '该来电没有录音');
      const range = request.headers.range;
      if (file.statusCode < 300 && (!range || /^bytes=0-/.test(range))) {
        await d.audit.record({ action: 'recording.played', courtId: request.actor.courtId, actorUserId: request.actor.userId, targetType: 'call', targetId: review.callId, detail: { kind: 'conversation', quality: review.id }, ip: request.ip });
      }
      const raw = reply as unknown as FastifyReply;
      raw.code(file.statusCode).headers(file.headers).header('content-type', 'audio/wav');
      return raw.send(file.stream);
    },
  });

  app.put(`${base}/:reviewId/score`, {
    config: reviewers,
    schema: {
      tags,
      summary: "Score a sampled call on a form (again, until the operator accepts or appeals); a fatal item failed makes the score 0",
      params: idParam('reviewId'),
      body: z.strictObject({ formId: z.uuid(), points, fatalFailed, comment: z.string().trim().max(2000).default('') }),
      response: { 200: detail, ...conflicts, ...errorResponses },
    },
    handler: async (request) => {
      await scoreReview(d.db, d.seals, request.actor, request.params.reviewId, request.body);
      return answer(request.params.reviewId);
    },
  });

  app.post(`${base}/:reviewId/accept`, {
    config: { roles: ['operator'] },
    schema: { tags, summary: 'The operator accepts the score: the review is locked', params: idParam('reviewId'), response: { 200: detail, ...conflicts, ...errorResponses } },
    handler: async (request) => {
      await acceptReview(d.db, d.seals, request.actor, request.params.reviewId);
      return answer(request.params.reviewId);
    },
  });

  app.post(`${base}/:reviewId/appeal`, {
    config: { roles: ['operator'] },
    schema: { tags, summary: 'The operator appeals the score once, with a reason', params: idParam('reviewId'), body: z.strictObject({ reason: text(1000, '申诉理由') }), response: { 200: detail, ...conflicts, ...errorResponses } },
    handler: async (request) => {
      await appealReview(d.db, d.seals, request.actor, request.params.reviewId, request.body.reason);
      return answer(request.params.reviewId);
    },
  });

  app.post(`${base}/:reviewId/decision`, {
    config: { roles: ['manager'] },
    schema: {
      tags,
      summary: 'The manager decides an appeal: upheld, or revised with new points on the same form; the review is locked',
      params: idParam('reviewId'),
      body: z.discriminatedUnion('outcome', [
        z.strictObject({ outcome: z.literal('upheld'), comment: text(2000, '裁决意见') }),
        z.strictObject({ outcome: z.literal('revised'), comment: text(2000, '裁决意见'), points, fatalFailed }),
      ]),
      response: { 200: detail, ...conflicts, ...errorResponses },
    },
    handler: async (request) => {
      await decideAppeal(d.db, d.seals, request.actor, request.params.reviewId, request.body);
      return answer(request.params.reviewId);
    },
  });

  app.post(`${base}/:reviewId/amendments`, {
    config: { roles: ['manager'] },
    schema: { tags, summary: "A manager's note on a locked review: a new sealed event; the review itself does not change", params: idParam('reviewId'), body: z.strictObject({ note: text(2000, '说明') }), response: { 201: detail, ...conflicts, ...errorResponses } },
    handler: async (request, reply) => {
      await amendReview(d.db, d.seals, request.actor, request.params.reviewId, request.body.note);
      return reply.code(201).send(await answer(request.params.reviewId));
    },
  });
}
