import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimAsterisk } from '../model/asterisk.ts';
import type { SimBridge } from '../model/bridge.ts';
import { createBridge, destroyBridge, joinBridge, leaveBridge } from '../model/bridging.ts';
import { play, playbackJson } from '../model/media.ts';
import { ariError, noContent, params, type RouteContext } from './common.ts';
import { startRecording } from './recording-params.ts';

type WithBridge = FastifyRequest<{ Params: { bridgeId: string } }>;

function findBridge(ast: SimAsterisk, id: string): SimBridge {
  const bridge = ast.bridges.get(id);
  if (!bridge) throw ariError(404, 'Bridge not found');
  return bridge;
}

function channelList(ast: SimAsterisk, request: FastifyRequest) {
  const list = (params(request).channel ?? '').split(',').filter(Boolean);
  if (list.length === 0) throw ariError(400, 'Missing parameter channel');
  return list.map((id) => {
    const channel = ast.channels.get(id);
    if (!channel) throw ariError(400, 'Channel not found');
    if (!channel.inStasis) throw ariError(422, 'Channel not in Stasis application');
    return channel;
  });
}

export function bridgeRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const create = async (request: FastifyRequest<{ Params: { bridgeId?: string } }>) => {
    const ast = ctx.asterisk();
    const p = params(request);
    const id = request.params.bridgeId ?? p.bridgeId;
    const existing = id ? ast.bridges.get(id) : undefined;
    if (existing) return existing.toJson();
    const types = (p.type ?? 'mixing').split(',');
    const known = ['mixing', 'holding', 'dtmf_events', 'proxy_media', 'video_sfu', 'video_single', 'sdp_label'];
    if (types.some((t) => !known.includes(t))) throw ariError(400, 'Invalid bridge type');
    return createBridge(ast, types.includes('holding') ? 'holding' : 'mixing', p.name ?? '', id).toJson();
  };
  app.get('/ari/bridges', async () => [...ctx.asterisk().bridges.values()].map((b) => b.toJson()));
  app.post('/ari/bridges', create);
  app.post('/ari/bridges/:bridgeId', create);
  app.get('/ari/bridges/:bridgeId', async (request: WithBridge) => findBridge(ctx.asterisk(), request.params.bridgeId).toJson());

  app.delete('/ari/bridges/:bridgeId', async (request: WithBridge, reply) => {
    const ast = ctx.asterisk();
    destroyBridge(ast, findBridge(ast, request.params.bridgeId));
    return noContent(reply);
  });

  app.post('/ari/bridges/:bridgeId/addChannel', async (request: WithBridge, reply) => {
    const ast = ctx.asterisk();
    const bridge = findBridge(ast, request.params.bridgeId);
    for (const channel of channelList(ast, request)) joinBridge(ast, bridge, channel);
    return noContent(reply);
  });

  app.post('/ari/bridges/:bridgeId/removeChannel', async (request: WithBridge, reply) => {
    const ast = ctx.asterisk();
    const bridge = findBridge(ast, request.params.bridgeId);
    const channels = channelList(ast, request);
    if (channels.some((c) => c.bridgeId !== bridge.id)) throw ariError(422, 'Channel not in this bridge');
    for (const channel of channels) leaveBridge(ast, channel, { settle: true });
    return noContent(reply);
  });

  app.post('/ari/bridges/:bridgeId/moh', async (request: WithBridge, reply) => {
    findBridge(ctx.asterisk(), request.params.bridgeId).mohClass = params(request).mohClass ?? 'default';
    return noContent(reply);
  });
  app.delete('/ari/bridges/:bridgeId/moh', async (request: WithBridge, reply) => {
    findBridge(ctx.asterisk(), request.params.bridgeId).mohClass = null;
    return noContent(reply);
  });

  const playHandler = async (request: FastifyRequest<{ Params: { bridgeId: string; playbackId?: string } }>, reply: FastifyReply) => {
    const ast = ctx.asterisk();
    const bridge = findBridge(ast, request.params.bridgeId);
    const p = params(request);
    if (!p.media) throw ariError(400, 'media must be specified');
    const playbackId = request.params.playbackId ?? p.playbackId;
    if (playbackId && ast.playbacks.has(playbackId)) throw ariError(409, 'Playback with given unique ID already exists');
    return reply.code(201).send(playbackJson(play(ast, { kind: 'bridge', bridge }, p.media, playbackId)));
  };
  app.post('/ari/bridges/:bridgeId/play', playHandler);
  app.post('/ari/bridges/:bridgeId/play/:playbackId', playHandler);

  app.post('/ari/bridges/:bridgeId/record', async (request: WithBridge, reply) => {
    const ast = ctx.asterisk();
    const bridge = findBridge(ast, request.params.bridgeId);
    return reply.code(201).send(startRecording(ast, { kind: 'bridge', bridge }, params(request)));
  });
}
