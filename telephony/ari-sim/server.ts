import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { EventHub } from './event-hub.ts';
import type { SimAsterisk } from './model/asterisk.ts';
import { bridgeRoutes } from './routes/bridges.ts';
import { channelRoutes } from './routes/channels.ts';
import { AriHttpError, httpErrorOf, type RouteContext } from './routes/common.ts';
import { infoRoutes } from './routes/info.ts';
import { mediaRoutes } from './routes/media.ts';
import { serveRestOverWebsocket } from './rest-over-websocket.ts';
import { RouteTable } from './route-table.ts';
import { resourceDeclaration, resourceListing } from './swagger/index.ts';

export interface ServerContext extends RouteContext {
  username: string;
  password: string;
}

function credentialsOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Basic ')) return Buffer.from(header.slice(6), 'base64').toString('utf8');
  const apiKey = (request.query as Record<string, unknown> | undefined)?.api_key;
  return typeof apiKey === 'string' ? apiKey : null;
}

/** The HTTP + websocket face of one running Asterisk (a restart builds a new one on the same port). */
export async function buildAriServer(ctx: ServerContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
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
    const query = request.query as Record<string, string | undefined>;
    const apps = (query.app ?? '').split(',').filter(Boolean);
    if (apps.length === 0) {
      socket.close(1008, 'Missing param app');
      return;
    }
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
    });
  });

  channelRoutes(app, ctx);
  bridgeRoutes(app, ctx);
  mediaRoutes(app, ctx);
  infoRoutes(app, ctx);
  return app;
}

export type { EventHub, SimAsterisk };
