import { z } from 'zod';
import { errorBodySchema, errorResponses, idParam, type ApiApp } from '../../platform/http/schemas.ts';
import type { Logger } from 'pino';
import { createUserBody, sipEndpointRenameSchema, listUsersQuery, setPasswordBody, updateUserBody, userSchema } from './users.schemas.ts';
import type { UsersService } from './users.service.ts';

const admin = { roles: ['admin'] } as const;
const userParams = idParam('userId');

/** Users of the admin's court: with their softphone endpoint (operators) or extension (judges, heads). */
export function registerUserRoutes(app: ApiApp, users: UsersService): void {
  app.get('/api/users', {
    config: admin,
    schema: { tags: ['admin'], summary: 'List the court’s users (phone numbers masked)', querystring: listUsersQuery, response: { 200: z.array(userSchema), ...errorResponses } },
    handler: async (request) => users.list(request.actor, request.query),
  });

  app.get('/api/users/sip-endpoint-renames', {
    config: admin,
    schema: {
      tags: ['admin'],
      summary: 'Users whose shared softphone endpoint the upgrade renamed (confirm or fix with PATCH /api/users/{id} sipEndpoint)',
      response: { 200: z.array(sipEndpointRenameSchema), ...errorResponses },
    },
    handler: async (request) => users.sipEndpointRenames(request.actor),
  });
  // The start-up check for endpoints that were shared before they were unique (docs/telephony.md, endpoints).
  app.addHook('onReady', async () => {
    await users.reportSipEndpointRenames(app.log as Logger).catch((err: Error) => app.log.error({ err: err.message }, 'could not check softphone endpoint renames'));
  });

  app.get('/api/users/:userId', {
    config: admin,
    schema: { tags: ['admin'], summary: 'One user', params: userParams, response: { 200: userSchema, ...errorResponses } },
    handler: async (request) => users.get(request.actor, request.params.userId),
  });

  app.post('/api/users', {
    config: admin,
    schema: { tags: ['admin'], summary: 'Create a user with a password', body: createUserBody, response: { 201: userSchema, 409: errorBodySchema, 422: errorBodySchema, ...errorResponses } },
    handler: async (request, reply) => reply.code(201).send(await users.create(request.actor, request.body, request.ip)),
  });

  app.patch('/api/users/:userId', {
    config: admin,
    schema: {
      tags: ['admin'],
      summary: 'Change a user (a role, department or active change ends their sessions)',
      params: userParams,
      body: updateUserBody,
      response: { 200: userSchema, 409: errorBodySchema, ...errorResponses },
    },
    handler: async (request) => users.update(request.actor, request.params.userId, request.body, request.ip),
  });

  app.put('/api/users/:userId/password', {
    config: admin,
    schema: { tags: ['admin'], summary: 'Set a user’s password (ends their sessions)', params: userParams, body: setPasswordBody, response: { 204: z.null(), 422: errorBodySchema, ...errorResponses } },
    handler: async (request, reply) => {
      await users.setPassword(request.actor, request.params.userId, request.body.password, request.ip);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/users/:userId/unlock', {
    config: admin,
    schema: { tags: ['admin'], summary: 'Lift a sign-in lockout', params: userParams, response: { 204: z.null(), ...errorResponses } },
    handler: async (request, reply) => {
      await users.unlock(request.actor, request.params.userId, request.ip);
      return reply.code(204).send(null);
    },
  });
}
