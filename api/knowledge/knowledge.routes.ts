import { z } from 'zod';
import { userRoles } from '../../platform/user-roles.ts';
import { errorResponses, idParam, type ApiApp } from '../../platform/http/schemas.ts';
import { createEntryBody, entrySchema, importBody, listQuery, searchHitSchema, searchQuery, updateEntryBody } from './knowledge.schemas.ts';
import type { KnowledgeService } from './knowledge.service.ts';

const tags = ['knowledge'];
const editors = ['admin', 'manager'] as const;
const params = idParam('entryId');

/** The knowledge base (智能问答): everyone in the court reads and searches it; admins and managers keep it. */
export function registerKnowledgeRoutes(app: ApiApp, knowledge: KnowledgeService): void {
  app.get('/api/knowledge', {
    config: { roles: userRoles },
    schema: { tags, summary: "The court's knowledge-base entries, by category", querystring: listQuery, response: { 200: z.array(entrySchema), ...errorResponses } },
    handler: async (request) => {
      const { category, active } = request.query;
      return knowledge.list(request.actor, { category, active: active === undefined ? undefined : active === 'true' });
    },
  });

  app.get('/api/knowledge/search', {
    config: { roles: userRoles },
    schema: { tags, summary: 'Active entries matching a question (Chinese word and two-character matching), best first', querystring: searchQuery, response: { 200: z.array(searchHitSchema), ...errorResponses } },
    handler: async (request) => knowledge.search(request.actor, request.query.q, { category: request.query.category, limit: request.query.limit }),
  });

  app.get('/api/knowledge/:entryId', {
    config: { roles: userRoles },
    schema: { tags, summary: 'One entry', params, response: { 200: entrySchema, ...errorResponses } },
    handler: async (request) => knowledge.get(request.actor, request.params.entryId),
  });

  app.post('/api/knowledge', {
    config: { roles: editors },
    schema: { tags, summary: 'Add an entry', body: createEntryBody, response: { 201: entrySchema, ...errorResponses } },
    handler: async (request, reply) => reply.code(201).send(await knowledge.create(request.actor, request.body)),
  });

  app.patch('/api/knowledge/:entryId', {
    config: { roles: editors },
    schema: { tags, summary: 'Change an entry (only the fields named)', params, body: updateEntryBody, response: { 200: entrySchema, ...errorResponses } },
    handler: async (request) => knowledge.update(request.actor, request.params.entryId, request.body),
  });

  app.delete('/api/knowledge/:entryId', {
    config: { roles: editors },
    schema: { tags, summary: 'Remove an entry (to hide it but keep it, set active to false instead)', params, response: { 204: z.null(), ...errorResponses } },
    handler: async (request, reply) => {
      await knowledge.remove(request.actor, request.params.entryId);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/knowledge/import', {
    config: { roles: ['admin'] },
    bodyLimit: 1024 * 1024,
    schema: { tags, summary: 'Import entries (an entry whose question exists is updated)', body: importBody, response: { 200: z.object({ created: z.number(), updated: z.number() }), ...errorResponses } },
    handler: async (request) => knowledge.importEntries(request.actor.courtId, request.actor.userId, request.body.entries),
  });
}
