import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { EventHub } from './event-hub.ts';
import { appNames, eventsUpgradeRefusal, sendHttpErrorPage } from './events-upgrade.ts';
import type { SimAsterisk } from './model/asterisk.ts';
import { bridgeRoutes } from './routes/bridges.ts';
import { channelRoutes } from './routes/channels.ts';
import { AriHttpError, FormBody, httpErrorOf, queryValue, type RouteContext } from './routes/common.ts';
import { infoRoutes } from './routes/info.ts';
import { userEventRoutes } from './routes/user-events.ts';
import { mediaRoutes } from './routes/media.ts';
import { serveRestOverWebsocket } from './rest-over-websocket.ts';
import { RouteTable, routedUrl } from './route-table.ts';
import { resourceDeclaration, resourceListing } from './swagger/index.ts';

export interface ServerContext extends RouteContext {
  username: string;
  password: string;
}

function credentialsOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Basic ')) return Buffer.from(header.slice(6), 'base64').toString('utf8');
  // parse_api_keys (res/res_ari.c) takes the first api_key.
  return queryValue((request.query as Record<string, unknown> | undefined)?.api_key, 'first') ?? null;
}

/** The HTTP + websocket face of one running Asterisk (a restart builds a new one on the same port). */
export async function buildAriServer(ctx: ServerContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, forceCloseConnections: true, rewriteUrl: (request) => routedUrl(request.url ?? '/') });
  // swagger-client sends Content-Type: application/json with an empty body on DELETE.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, null);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AriHttpError(400, { message: 'Invalid JSON body' }), undefined);
    }
  });
  // Asterisk reads a form body's pairs as parameters (main/http.c ast_http_get_post_vars).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, FormBody.parse(typeof body === 'string' ? body : body.toString('utf8')));
  });
  // Before @fastify/websocket, whose own onRoute hook wraps every handler in an upgrade check.
  const routes = new RouteTable();
  routes.collect(app);
  await app.register(websocket);

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/ari')) return;
    if (credentialsOf(request) !== `${ctx.username}:${ctx.password}`) {
      return reply.code(401).header('www-authenticate', 'Basic realm="Asterisk REST Interface"').send({ message: 'Authentication required' });
    }
  });

  // Asterisk resolves the resource before the method (route-table.ts): a known path asked with a method it lacks is
  // 405 with Allow, OPTIONS is 204 with Allow, as over the websocket. GET /events goes on to the upgrade.
  app.addHook('onRequest', async (request, reply) => {
    const url = request.originalUrl;
    if (!url.startsWith('/ari/')) return;
    const mark = url.indexOf('?');
    const resolved = routes.resolve(request.method, url.slice('/ari/'.length, mark < 0 ? undefined : mark));
    if (resolved.kind === 'options') return reply.code(204).header('allow', resolved.allow).send();
    if (resolved.kind === 'websocket') {
      const firstApp = queryValue((request.query as Record<string, unknown>).app, 'first');
      const refusal = eventsUpgradeRefusal(request.headers.upgrade, firstApp);
      if (refusal) return sendHttpErrorPage(reply, refusal);
    }
    if (resolved.kind === 'error') {
      if (resolved.allow) reply.header('allow', resolved.allow);
      return reply.code(resolved.status).send({ message: resolved.message });
    }
    // Path values decoded as Asterisk decodes them (`+` is a space), not as Fastify does.
    if (resolved.kind === 'handler') request.params = resolved.params;
  });

  // The handler runs inside its request's scope, so events it leaves to a channel's thread follow the HTTP response.
  app.addHook('preHandler', (request, reply, done) => {
    // The events socket only (/ari/events, /ari/events?…), not the REST routes under it (/ari/events/user/…).
    if (!request.url.startsWith('/ari/') || /^\/ari\/events(\?|$)/.test(request.url)) return done();
    const scope = ctx.hub.order.begin('http');
    reply.raw.once('finish', scope.answered).once('close', scope.answered);
    scope.run(done);
  });

  app.setErrorHandler((error, _request, reply) => {
    const { status, body } = httpErrorOf(error);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ message: 'Resource not found' }));

  const basePath = (request: FastifyRequest) => `http://${request.headers.host ?? '127.0.0.1'}/ari`;
  app.get('/ari/api-docs/resources.json', async (request) => resourceListing(basePath(request)));
  app.get('/ari/api-docs/:file', async (request: FastifyRequest<{ Params: { file: string } }>) => {
    const name = request.params.file.replace(/\.json$/, '');
    const declaration = resourceDeclaration(name, basePath(request));
    if (!declaration) throw new AriHttpError(404, { message: 'Resource not found' });
    return declaration;
  });

  app.get('/ari/events', { websocket: true }, (socket, request) => {
    // The first `app` (ast_variable_find_in_list in res/ari/ari_websockets.c), a comma-separated list.
    // A missing or bad list was refused before the upgrade (events-upgrade.ts).
    const apps = appNames(queryValue((request.query as Record<string, unknown>).app, 'first') ?? '');
    const ast = ctx.asterisk();
    for (const name of apps) {
      ast.apps.add(name);
      ctx.hub.attach(name, socket);
    }
    socket.on('close', () => {
      for (const name of apps) ctx.hub.detach(name, socket);
      ctx.asterisk().pruneApps();
    });
    socket.on('error', () => undefined);
    serveRestOverWebsocket(socket, {
      routes,
      application: apps[0]!,
      asteriskId: ctx.hub.asteriskId,
      host: request.headers.host,
      send: (text) => ctx.hub.sendTo(socket, text),
      order: ctx.hub.order,
    });
  });

  channelRoutes(app, ctx);
  bridgeRoutes(app, ctx);
  mediaRoutes(app, ctx);
  infoRoutes(app, ctx);
  userEventRoutes(app, ctx);
  return app;
}

export type { EventHub, SimAsterisk };
