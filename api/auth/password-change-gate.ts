import type { FastifyInstance } from 'fastify';
import { HotlineError } from '../../platform/errors.ts';
import type { AuthService } from './auth.service.ts';

/** What a user who must change their password may still do: see who they are, change it, sign out. */
const allowed = new Set(['GET /api/auth/me', 'POST /api/auth/password', 'POST /api/auth/sign-out']);

export const passwordChangeRequired = () =>
  new HotlineError('password_change_required', 403, 'An admin set your password: choose your own before anything else.', '您的密码由管理员设置，请先修改密码后再进行其他操作。');

/**
 * After an admin sets a user's password (a reset), that user's sessions may do nothing but change it (the console
 * shows only the change form). Checked once per session and process: a session found clear stays clear (the flag only
 * goes back on with an admin's reset, which ends every session of the user); one that must change is asked again on
 * each request until it has. Runs at preValidation, after the session check and before any route's work.
 */
export function installPasswordChangeGate(app: FastifyInstance, auth: AuthService, cacheSize = 10_000): void {
  const clear = new Set<string>();
  app.addHook('preValidation', async (request) => {
    if (!request.actor || !request.sessionKey || clear.has(request.sessionKey)) return;
    if (allowed.has(`${request.method} ${request.routeOptions.url}`)) return;
    if (await auth.mustChangePassword(request.actor.userId)) throw passwordChangeRequired();
    if (clear.size >= cacheSize) clear.delete(clear.values().next().value as string);
    clear.add(request.sessionKey);
  });
}
