import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SnoopDirection } from '../model/channel.ts';
import { createSnoop } from '../model/snoop.ts';
import { ariError, findChannel, params, type RouteContext } from './common.ts';

const DIRECTIONS: readonly SnoopDirection[] = ['none', 'both', 'out', 'in'];

function direction(value: string | undefined, name: 'spy' | 'whisper'): SnoopDirection {
  const given = value === undefined || value === '' ? 'none' : value;
  if (!DIRECTIONS.includes(given as SnoopDirection)) throw ariError(400, `Invalid direction specified for ${name}`);
  return given as SnoopDirection;
}

/**
 * POST /channels/{id}/snoop[/{snoopId}] → 200 with the snoop channel (traces snoop-listen, snoop-whisper). The
 * refusals follow Asterisk's resource_channels.c (not recorded): a bad direction, neither direction, no app → 400.
 */
export function snoopRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const handler = async (request: FastifyRequest<{ Params: { channelId: string; snoopId?: string } }>, reply: FastifyReply) => {
    const ast = ctx.asterisk();
    const p = params(request);
    const spy = direction(p.spy, 'spy');
    const whisper = direction(p.whisper, 'whisper');
    if (spy === 'none' && whisper === 'none') throw ariError(400, 'Direction must be specified for at least spy or whisper');
    if (!p.app) throw ariError(400, 'Application name is required');
    const target = findChannel(ast, request.params.channelId);
    const snoopId = request.params.snoopId ?? p.snoopId;
    if (snoopId && ast.channels.has(snoopId)) throw ariError(409, 'Channel with given unique ID already exists');
    // The 200 comes after StasisStart here; Asterisk sends either first (tolerated by the fidelity comparison).
    const channel = createSnoop(ast, target, { spy, whisper, app: p.app, appArgs: p.appArgs ?? '', ...(snoopId ? { snoopId } : {}) });
    return reply.code(200).send(ast.channelJson(channel));
  };
  app.post('/ari/channels/:channelId/snoop', handler);
  app.post('/ari/channels/:channelId/snoop/:snoopId', handler);
}
