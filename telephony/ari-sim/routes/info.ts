import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ariTimestamp } from '../format.ts';
import type { SimAsterisk, SimEndpoint } from '../model/asterisk.ts';
import type { ApplicationJson, EndpointJson } from '../types.ts';
import { ariError, params, type RouteContext } from './common.ts';

export function endpointJson(ast: SimAsterisk, endpoint: SimEndpoint): EndpointJson {
  const channelIds = [...ast.channels.values()].filter((c) => c.endpoint === endpoint.name).map((c) => c.id);
  return { technology: 'PJSIP', resource: endpoint.name, state: endpoint.online ? 'online' : 'offline', channel_ids: channelIds };
}

function applicationJson(ast: SimAsterisk, name: string): ApplicationJson {
  return {
    name,
    channel_ids: ast.appChannelIds(name),
    bridge_ids: ast.appBridgeIds(name),
    endpoint_ids: [],
    device_names: [],
    events_allowed: [],
    events_disallowed: [],
  };
}

function findApplication(ast: SimAsterisk, name: string): ApplicationJson {
  if (!ast.apps.has(name)) throw ariError(404, 'Application not found');
  return applicationJson(ast, name);
}

const soundJson = (id: string) => ({ id, formats: [{ language: 'en', format: 'slin' }] });

export function infoRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/ari/asterisk/info', async () => {
    const ast = ctx.asterisk();
    return {
      build: { os: 'Linux', kernel: 'ari-sim', machine: process.arch, options: 'OPTIONAL_API', date: ast.startupTime.slice(0, 10), user: 'ari-sim' },
      system: { version: '22.10.1', entity_id: ast.options.asteriskId },
      config: { name: '', default_language: 'en', setid: { user: '', group: '' }, max_open_files: 8192 },
      status: { startup_time: ast.startupTime, last_reload_time: ast.lastReloadTime },
    };
  });
  // Asterisk 22 (res/ari/resource_asterisk.c): a module not running is 404 "Module not found in running modules"; a
  // reload is 204 with no body and sets last_reload_time. Names match with or without ".so", as ast_module_check does.
  app.put('/ari/asterisk/modules/:moduleName', async (request: FastifyRequest<{ Params: { moduleName: string } }>, reply) => {
    const ast = ctx.asterisk();
    const name = request.params.moduleName.endsWith('.so') ? request.params.moduleName : `${request.params.moduleName}.so`;
    if (!ast.modules.has(name)) throw ariError(404, 'Module not found in running modules');
    ast.lastReloadTime = ariTimestamp();
    ast.reloads.push({ module: name, at: ast.lastReloadTime });
    return reply.code(204).send();
  });
  app.get('/ari/asterisk/ping', async () => ({ ping: 'pong', timestamp: ariTimestamp(), asterisk_id: ctx.asterisk().options.asteriskId }));

  app.get('/ari/endpoints', async () => {
    const ast = ctx.asterisk();
    return [...ast.endpoints.values()].map((e) => endpointJson(ast, e));
  });
  app.get('/ari/endpoints/:tech', async (request: FastifyRequest<{ Params: { tech: string } }>) => {
    const ast = ctx.asterisk();
    if (request.params.tech !== 'PJSIP') throw ariError(404, 'No Endpoints found - invalid tech');
    return [...ast.endpoints.values()].map((e) => endpointJson(ast, e));
  });
  app.get('/ari/endpoints/:tech/:resource', async (request: FastifyRequest<{ Params: { tech: string; resource: string } }>) => {
    const ast = ctx.asterisk();
    const endpoint = request.params.tech === 'PJSIP' ? ast.endpoints.get(request.params.resource) : undefined;
    if (!endpoint) throw ariError(404, 'Endpoint not found');
    return endpointJson(ast, endpoint);
  });

  app.get('/ari/applications', async () => {
    const ast = ctx.asterisk();
    return [...ast.apps].map((name) => applicationJson(ast, name));
  });
  app.get('/ari/applications/:applicationName', async (request: FastifyRequest<{ Params: { applicationName: string } }>) =>
    findApplication(ctx.asterisk(), request.params.applicationName),
  );

  app.get('/ari/sounds', async (request) => {
    const p = params(request);
    if (p.lang && p.lang !== 'en') return [];
    return Object.keys(ctx.asterisk().options.sounds).map(soundJson);
  });
  app.get('/ari/sounds/:soundId', async (request: FastifyRequest<{ Params: { soundId: string } }>) => {
    if (!(request.params.soundId in ctx.asterisk().options.sounds)) throw ariError(404, 'Sound not found');
    return soundJson(request.params.soundId);
  });
}
