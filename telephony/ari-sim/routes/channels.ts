import type { FastifyInstance, FastifyRequest } from 'fastify';
import { answer, continueInDialplan } from '../model/calls.ts';
import { AllocationFailedError, createChannel, dial, DialStateError, finalDialOnAppHangup, originate } from '../model/dialing.ts';
import { appHangupCause, HangupCauseError } from '../model/causes.ts';
import { hangupByApp } from '../model/hangup.ts';
import { play, playbackJson } from '../model/media.ts';
import { snoopRoutes } from './snoop.ts';
import { startRecording } from './recording-params.ts';
import {
  AriHttpError,
  ariError,
  bodyVariables,
  findChannel,
  findStasisChannel,
  integerParam,
  noContent,
  params,
  type RouteContext,
} from './common.ts';

type WithChannel = FastifyRequest<{ Params: { channelId: string } }>;

function outbound(ctx: RouteContext, request: FastifyRequest, channelId: string | undefined, create: boolean) {
  const p = params(request);
  if (!p.endpoint) throw ariError(400, 'Endpoint must be specified');
  if (!create && !p.app && !p.extension) throw ariError(400, 'Application or extension must be specified');
  if (create && !p.app) throw ariError(400, 'Application must be specified');
  const ast = ctx.asterisk();
  const id = channelId ?? p.channelId;
  if (id && ast.channels.has(id)) throw ariError(409, 'Channel with given unique ID already exists');
  const base = { endpoint: p.endpoint, app: p.app ?? null, appArgs: p.appArgs ?? '', channelId: id, variables: bodyVariables(request) };
  try {
    if (create) return createChannel(ast, base).response;
    const timeoutSec = integerParam(p.timeout, 30, 'timeout');
    return ast.channelJson(originate(ast, { ...base, callerId: p.callerId, timeoutSec }));
  } catch (err) {
    if (err instanceof AllocationFailedError) throw new AriHttpError(500, { error: 'Allocation failed' });
    throw err;
  }
}

export function channelRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/ari/channels', async () => [...ctx.asterisk().channels.values()].map((c) => ctx.asterisk().channelJson(c)));
  app.post('/ari/channels', async (request) => outbound(ctx, request, undefined, false));
  app.post('/ari/channels/create', async (request) => outbound(ctx, request, undefined, true));
  app.post('/ari/channels/:channelId', async (request: WithChannel) => outbound(ctx, request, request.params.channelId, false));
  app.get('/ari/channels/:channelId', async (request: WithChannel) => {
    const ast = ctx.asterisk();
    return ast.channelJson(findChannel(ast, request.params.channelId));
  });

  app.delete('/ari/channels/:channelId', async (request: WithChannel, reply) => {
    const ast = ctx.asterisk();
    const channel = findChannel(ast, request.params.channelId);
    const p = params(request);
    let cause: number;
    try {
      cause = appHangupCause(p.reason, p.reason_code);
    } catch (err) {
      if (err instanceof HangupCauseError) throw ariError(400, err.message);
      throw err;
    }
    hangupByApp(ast, channel, cause, finalDialOnAppHangup(ast, channel));
    return noContent(reply);
  });

  app.post('/ari/channels/:channelId/answer', async (request: WithChannel, reply) => {
    const ast = ctx.asterisk();
    answer(ast, findStasisChannel(ast, request.params.channelId));
    return noContent(reply);
  });

  // Indications and audio treatments: Asterisk emits no event for any of these.
  const flag = (path: string, apply: (channel: ReturnType<typeof findChannel>, on: boolean, request: WithChannel) => void) => {
    for (const [method, on] of [['POST', true], ['DELETE', false]] as const) {
      app.route({
        method,
        url: `/ari/channels/:channelId/${path}`,
        handler: async (request: WithChannel, reply) => {
          apply(findStasisChannel(ctx.asterisk(), request.params.channelId), on, request);
          return noContent(reply);
        },
      });
    }
  };
  flag('ring', (c, on) => (c.ringingIndication = on));
  flag('moh', (c, on, request) => (c.mohClass = on ? (params(request).mohClass ?? 'default') : null));
  flag('hold', (c, on) => (c.onHold = on));
  flag('mute', () => undefined);
  flag('silence', () => undefined);

  app.post('/ari/channels/:channelId/dtmf', async (request: WithChannel, reply) => {
    findStasisChannel(ctx.asterisk(), request.params.channelId);
    if (!params(request).dtmf) throw ariError(400, 'DTMF is required');
    return noContent(reply);
  });

  const playHandler = async (request: FastifyRequest<{ Params: { channelId: string; playbackId?: string } }>, reply: import('fastify').FastifyReply) => {
    const ast = ctx.asterisk();
    const channel = findStasisChannel(ast, request.params.channelId);
    const media = params(request).media;
    if (!media) throw ariError(400, 'media must be specified');
    const playbackId = request.params.playbackId ?? params(request).playbackId;
    if (playbackId && ast.playbacks.has(playbackId)) throw ariError(409, 'Playback with given unique ID already exists');
    return reply.code(201).send(playbackJson(play(ast, { kind: 'channel', channel }, media, playbackId)));
  };
  app.post('/ari/channels/:channelId/play', playHandler);
  app.post('/ari/channels/:channelId/play/:playbackId', playHandler);

  app.post('/ari/channels/:channelId/record', async (request: WithChannel, reply) => {
    const ast = ctx.asterisk();
    const channel = findStasisChannel(ast, request.params.channelId);
    return reply.code(201).send(startRecording(ast, { kind: 'channel', channel }, params(request)));
  });

  app.get('/ari/channels/:channelId/variable', async (request: WithChannel) => {
    const channel = findChannel(ctx.asterisk(), request.params.channelId);
    const variable = params(request).variable;
    if (!variable) throw ariError(400, 'Variable name is required');
    const value = channel.vars.get(variable);
    if (value === undefined) throw ariError(404, 'Provided variable was not found');
    return { value };
  });

  app.post('/ari/channels/:channelId/variable', async (request: WithChannel, reply) => {
    const ast = ctx.asterisk();
    const channel = findChannel(ast, request.params.channelId);
    const p = params(request);
    if (!p.variable) throw ariError(400, 'Variable name is required');
    ast.setVar(channel, p.variable, p.value ?? '');
    return noContent(reply);
  });

  app.post('/ari/channels/:channelId/dial', async (request: WithChannel, reply) => {
    const ast = ctx.asterisk();
    const channel = findStasisChannel(ast, request.params.channelId);
    const p = params(request);
    const caller = p.caller ? ast.channels.get(p.caller) : undefined;
    try {
      dial(ast, channel, { caller, timeoutSec: integerParam(p.timeout, 0, 'timeout') });
    } catch (err) {
      if (err instanceof DialStateError) throw ariError(409, err.message);
      throw err;
    }
    return noContent(reply);
  });

  snoopRoutes(app, ctx);

  app.post('/ari/channels/:channelId/continue', async (request: WithChannel, reply) => {
    const ast = ctx.asterisk();
    continueInDialplan(ast, findStasisChannel(ast, request.params.channelId));
    return noContent(reply);
  });
}
