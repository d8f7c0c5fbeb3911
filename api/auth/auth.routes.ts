import { z } from 'zod';
import { userRoles } from '../../platform/user-roles.ts';
import { sessionCookie } from '../http/access.ts';
import { errorBodySchema, errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import { userSchema } from '../admin/users.schemas.ts';
import type { AuthService } from './auth.service.ts';
import { passwordRules } from './passwords.ts';

const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(passwordRules.max),
  newPassword: z.string().min(passwordRules.min).max(passwordRules.max),
});

const signInBody = z.strictObject({
  // Any name a person might type (a wrong one is a 401), but no control characters or lone surrogates, which no
  // username has and PostgreSQL cannot store in the failure record (a lone surrogate answered 500).
  username: z.string().min(1).max(64).regex(/^[^\p{Cc}\p{Cs}]*$/u, 'letters, digits and signs only / 用户名含有不可用的字符'),
  password: z.string().min(1).max(256),
});

/** The signed-in user: their directory fields (as in the admin's user view) and their court's name. */
export const profileSchema = userSchema
  .pick({ id: true, username: true, displayName: true, role: true, courtId: true, departmentId: true, sipEndpoint: true })
  .extend({
    courtName: z.string(),
    /** An admin set the password: the user must change it (POST /api/auth/password) before anything else. */
    mustChangePassword: z.boolean(),
  })
  .meta({ id: 'Profile' });

export interface AuthRouteOptions {
  auth: AuthService;
  signInRateLimit: number;
  /** Called after a session ends (the hub closes that session's websockets). */
  onSignOut: (sessionKey: string) => void;
}

export function registerAuthRoutes(app: ApiApp, { auth, signInRateLimit, onSignOut }: AuthRouteOptions): void {
  app.post('/api/auth/sign-in', {
    config: { roles: 'public', rateLimit: { max: signInRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with username and password; sets the session cookie',
      body: signInBody,
      response: { 200: profileSchema, 400: errorBodySchema, 401: errorBodySchema, 423: errorBodySchema, 429: errorBodySchema },
    },
    handler: async (request, reply) => {
      const { token, expiresAt, userId } = await auth.signIn(request.body.username, request.body.password, request.ip);
      // Fastify reads X-Forwarded-Proto into `protocol` only from a proxy HOTLINE_TRUST_PROXY trusts.
      const behindTls = request.protocol === 'https';
      reply.setCookie(sessionCookie, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: behindTls, expires: expiresAt });
      return auth.profile(userId);
    },
  });

  app.post('/api/auth/sign-out', {
    config: { roles: userRoles },
    schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null(), ...errorResponses } },
    handler: async (request, reply) => {
      await auth.signOut(request.sessionKey, request.actor, request.ip);
      onSignOut(request.sessionKey);
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.code(204).send(null);
    },
  });

  app.post('/api/auth/password', {
    config: { roles: userRoles },
    schema: {
      tags: ['auth'],
      summary: 'Change your own password (required after an admin reset); ends your other sessions',
      body: changePasswordBody,
      response: { 200: profileSchema, 422: errorBodySchema, 423: errorBodySchema, ...errorResponses },
    },
    handler: async (request) => {
      await auth.changePassword(request.actor, request.sessionKey, request.body.currentPassword, request.body.newPassword, request.ip);
      return auth.profile(request.actor.userId);
    },
  });

  app.get('/api/auth/me', {
    config: { roles: userRoles },
    schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: profileSchema, ...errorResponses } },
    handler: async (request) => auth.profile(request.actor.userId),
  });
}
