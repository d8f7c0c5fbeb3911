import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimAsterisk } from '../model/asterisk.ts';
import { ariError, AriHttpError, noContent, params, type RouteContext } from './common.ts';
import { endpointJson } from './info.ts';

type WithEventName = FastifyRequest<{ Params: { eventName: string } }>;

/** The snapshot a `source` URI names, under its event key, or why not (stasis_app_user_event in res/res_stasis.c). */
function sourceSnapshot(ast: SimAsterisk, uri: string): [key: 'channel' | 'bridge' | 'endpoint', json: unknown] {
  let found: [key: 'channel' | 'bridge' | 'endpoint', json: unknown] | undefined;
  if (uri.startsWith('channel:')) {
    const channel = ast.channels.get(uri.slice('channel:'.length));
    if (channel) found = ['channel', ast.channelJson(channel)];
  } else if (uri.startsWith('bridge:')) {
    const bridge = ast.bridges.get(uri.slice('bridge:'.length));
    if (bridge) found = ['bridge', bridge.toJson()];
  } else if (uri.startsWith('endpoint:')) {
    const [tech, resource] = uri.slice('endpoint:'.length).split('/');
    const endpoint = tech === 'PJSIP' && resource ? ast.endpoints.get(resource) : undefined;
    if (endpoint) found = ['endpoint', endpointJson(ast, endpoint)];
  } else throw ariError(400, 'Invalid event source URI scheme');
  if (!found) throw ariError(422, 'Event source was not found');
  return found;
}

/**
 * POST /events/user/{eventName} (res/ari/resource_events.c; measured on Asterisk 22.10.1): a ChannelUserevent to
 * the app, `userevent` being the body's `variables` (JSON values kept) with `eventname` set in it, then the
 * sources' snapshots in channel, bridge, endpoint order (main/stasis.c multi_user_event_to_json).
 */
export function userEventRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/ari/events/user/:eventName', async (request: WithEventName, reply) => {
    const ast = ctx.asterisk();
    const p = params(request);
    if (!p.application) throw ariError(400, 'Missing parameter application');
    if (!ast.apps.has(p.application)) throw ariError(404, 'Application not found');
    // The variables become the event's blob before any source is looked up: one that is no object fails there.
    const body = request.body as { variables?: unknown } | null | undefined;
    const variables = body && typeof body === 'object' && !Array.isArray(body) ? body.variables : undefined;
    if (variables !== undefined && (variables === null || typeof variables !== 'object' || Array.isArray(variables))) {
      throw new AriHttpError(500, { message: 'Error processing request' });
    }
    const sources = new Map(p.source === undefined ? [] : p.source.split(',').map((uri) => sourceSnapshot(ast, uri)));
    const eventName = request.params.eventName;
    ctx.hub.emitEvent(p.application, 'ChannelUserevent', {
      eventname: eventName,
      userevent: { ...(variables as Record<string, unknown> | undefined), eventname: eventName },
      channel: sources.get('channel'),
      bridge: sources.get('bridge'),
      endpoint: sources.get('endpoint'),
    });
    return noContent(reply);
  });
}
