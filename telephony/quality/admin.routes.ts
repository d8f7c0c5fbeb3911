import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { HotlineError } from '../../platform/errors.ts';
import { calendarDate, errorBodySchema, errorResponses, idParam, type ApiApp } from '../../platform/http/schemas.ts';
import { createForm, listForms, newVersion, retireForm } from './forms.ts';
import { qualitySettings } from './quality.sql.ts';
import { qualityFigures } from './queries.ts';
import { drawWeek, readSampleSettings } from './sampling.ts';
import { isMonday, lastWeek } from './week.ts';

const tags = ['telephony'];
const managers = { roles: ['manager'] } as const;
const reviewers = { roles: ['department_head', 'manager'] } as const;
const item = z.strictObject({
  key: z.string().regex(/^[a-z0-9_]{1,32}$/, 'a key of a–z, 0–9, _ / 编号须为小写字母、数字或下划线'),
  label: z.string().trim().min(1).max(100),
  weight: z.number().int().min(0).max(100),
  fatal: z.boolean().default(false),
});
const formBody = z.strictObject({ name: z.string().trim().min(2).max(100), items: z.array(item).min(1).max(40) });
const monday = calendarDate.refine(isMonday, 'a Monday (a week is named by its Monday) / 须为周一的日期');
const noWeek = () => new HotlineError('invalid_input', 400, 'from must not be after to', '起始周不能晚于结束周');

/** Forms (manager), sampling settings and draws (manager), and the QA figures (heads and managers). */
export function registerQualityAdminRoutes(app: ApiApp, db: Db): void {
  const base = '/api/telephony/quality';
  app.get(`${base}/forms`, {
    config: reviewers,
    schema: { tags, summary: "The court's scoring forms, every version, current first", response: { 200: z.array(z.any()), ...errorResponses } },
    handler: (request) => listForms(db, request.actor.courtId),
  });
  app.post(`${base}/forms`, {
    config: managers,
    schema: { tags, summary: 'A new scoring form (version 1): items with weights, fatal items weigh 0', body: formBody, response: { 201: z.any(), ...errorResponses } },
    handler: async (request, reply) => reply.code(201).send(await createForm(db, request.actor, request.body)),
  });
  app.post(`${base}/forms/:formId/versions`, {
    config: managers,
    schema: { tags, summary: "A form's next version (the current one is retired, never edited)", params: idParam('formId'), body: formBody, response: { 201: z.any(), 409: errorBodySchema, ...errorResponses } },
    handler: async (request, reply) => reply.code(201).send(await newVersion(db, request.actor, request.params.formId, request.body)),
  });
  app.post(`${base}/forms/:formId/retire`, {
    config: managers,
    schema: { tags, summary: 'Retire a form version: no new review uses it', params: idParam('formId'), response: { 200: z.any(), 409: errorBodySchema, ...errorResponses } },
    handler: (request) => retireForm(db, request.actor, request.params.formId),
  });

  app.get(`${base}/settings`, {
    config: reviewers,
    schema: { tags, summary: "The court's random share (per cent of each operator's answered calls) and seed", response: { 200: z.object({ sharePercent: z.number(), seed: z.string(), own: z.boolean() }), ...errorResponses } },
    handler: (request) => readSampleSettings(db, request.actor.courtId),
  });
  app.put(`${base}/settings`, {
    config: managers,
    schema: {
      tags,
      summary: "Set the court's random share and seed (weeks already drawn keep theirs)",
      body: z.strictObject({ sharePercent: z.number().int().min(0).max(100), seed: z.string().trim().min(1).max(64) }),
      response: { 200: z.object({ sharePercent: z.number(), seed: z.string(), own: z.boolean() }), ...errorResponses },
    },
    handler: async (request) => {
      const row = { courtId: request.actor.courtId, ...request.body, updatedBy: request.actor.userId, updatedAt: new Date() };
      await db.insert(qualitySettings).values(row).onConflictDoUpdate({ target: qualitySettings.courtId, set: row });
      return readSampleSettings(db, request.actor.courtId);
    },
  });
  app.post(`${base}/draws`, {
    config: managers,
    schema: {
      tags,
      summary: 'Draw a week now (default: last week); drawing a week again adds nothing already drawn',
      body: z.strictObject({ week: monday.optional() }),
      response: { 200: z.object({ week: z.string(), sharePercent: z.number(), seed: z.string(), added: z.number(), total: z.number() }), ...errorResponses },
    },
    handler: (request) => drawWeek(db, request.actor.courtId, request.body.week ?? lastWeek(new Date()), request.actor.userId),
  });

  app.get(`${base}/figures`, {
    config: reviewers,
    schema: {
      tags,
      summary: 'QA figures per operator and for the team: mean score, fatal errors, coverage (reviewed / answered), appeals',
      querystring: z.strictObject({ from: monday, to: monday }),
      response: { 200: z.any(), ...errorResponses },
    },
    handler: (request) => {
      if (request.query.from > request.query.to) throw noWeek();
      return qualityFigures(db, request.actor.courtId, request.query.from, request.query.to);
    },
  });
}
