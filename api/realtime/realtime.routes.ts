import { z } from 'zod';
import { userRoles } from '../../platform/user-roles.ts';
import { sessionCookie } from '../http/access.ts';
import { HotlineError } from '../../platform/errors.ts';
import type { ApiApp } from '../../platform/http/schemas.ts';
import type { RealtimeHub } from './hub.ts';
import { originAllowed, originRefused } from './origin.ts';

/** One websocket per console, authenticated by the same session cookie and role hook as every route. */
export function registerRealtimeRoutes(app: ApiApp, hub: RealtimeHub, allowedOrigins: readonly string[] = []): void {
  app.route({
    method: 'GET',
    url: '/api/realtime',
    config: { roles: userRoles },
    schema: {
      tags: ['realtime'],
      summary: 'Websocket of realtime events (see docs/api.md); pass lastEventId to resume after a reconnect',
      querystring: z.strictObject({ lastEventId: z.string().regex(/^\d{1,20}-\d{1,20}$/).optional() }),
    },
    // After the session check (access control's onRequest), before the upgrade: a foreign page's socket never opens.
    onRequest: async (request) => {
      if (request.ws && !originAllowed(request, allowedOrigins)) throw originRefused();
    },
    handler: async () => {
      throw new HotlineError('upgrade_required', 426, 'Open this URL as a websocket.', '请以 WebSocket 方式连接。');
    },
    wsHandler: (socket, request) => {
      const token = request.cookies[sessionCookie] ?? '';
      void hub.attach(socket, request.actor, token, request.sessionKey, request.query.lastEventId);
    },
  });
}
