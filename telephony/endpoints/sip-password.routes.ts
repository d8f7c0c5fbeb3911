import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';
import { HotlineError } from '../../platform/errors.ts';
import { assertSameCourt } from '../../platform/court-scope.ts';
import { errorBodySchema, errorResponses, idParam, type ApiApp } from '../../platform/http/schemas.ts';
import { rotateSipPassword } from './sip-credentials.ts';

/** Where a rotation is audited: the api capability's audit trail (`deps.services.audit`), in the same transaction. */
export interface SipPasswordAudit {
  record(
    entry: { action: 'user.sip_password_rotated'; courtId: string; actorUserId: string; targetType: 'user'; targetId: string; detail: Record<string, unknown>; ip: string },
    tx: Pick<Db, 'insert'>,
  ): Promise<void>;
}

const rotated = z
  .object({
    endpoint: z.string(),
    rotatedAt: z.date(),
    /** Asterisk still has the old digest until the endpoint files are written again and reloaded. */
    apply: z.string(),
  })
  .meta({ id: 'SipPasswordRotated' });

/**
 * `POST /api/users/{userId}/sip-password`: a court's admin gives one of its operators' endpoints a new random
 * password (the old one stops working once `telephony:endpoints --reload` has run; the operator's console picks up
 * the new one at its next sign-in; the SIP endpoints page shows it pending until applied). The password itself is never in the answer or the audit entry.
 */
export function registerSipPasswordRoutes(app: ApiApp, o: { db: Db; secret: string | undefined; audit: SipPasswordAudit }): void {
  app.post('/api/users/:userId/sip-password', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: 'Rotate the SIP password of a user’s softphone endpoint (audited; apply with telephony:endpoints --reload)',
      params: idParam('userId'),
      response: { 200: rotated, 409: errorBodySchema, ...errorResponses },
    },
    handler: async (request) => {
      const actor = request.actor;
      const [user] = await o.db.select({ courtId: users.courtId, endpoint: users.sipEndpoint }).from(users).where(eq(users.id, request.params.userId));
      assertSameCourt(actor, user, 'user');
      if (!user.endpoint) throw new HotlineError('no_softphone', 409, 'This user has no softphone endpoint.', '该用户没有软电话分机。');
      const secret = o.secret;
      if (!secret) {
        throw new HotlineError('sip_secret_unset', 409, 'HOTLINE_SIP_PASSWORD_SECRET is not set: SIP passwords cannot be kept.', '未配置 HOTLINE_SIP_PASSWORD_SECRET，无法保存软电话密码。');
      }
      const endpoint = user.endpoint;
      const rotatedAt = await o.db.transaction(async (tx) => {
        const at = await rotateSipPassword(tx, secret, endpoint, request.params.userId);
        await o.audit.record(
          { action: 'user.sip_password_rotated', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'user', targetId: request.params.userId, detail: { endpoint }, ip: request.ip },
          tx,
        );
        return at;
      });
      return { endpoint, rotatedAt, apply: 'the console’s SIP endpoints page (应用到 Asterisk), or npm run telephony:endpoints -- --reload' };
    },
  });
}
