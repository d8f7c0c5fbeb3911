import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { serviceOf, type Capability } from '../../platform/deps.ts';
import { repoRoot } from '../../platform/db/migration-sets.ts';
import { paths } from '../src/paths.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { featurePaths } from './feature-paths.ts';
import { registerMyQueueRoute } from './my-queue.ts';
import { registerOperatorsRoute } from './operators.ts';
import { registerSoftphoneSettingsRoute } from './softphone-settings.ts';

export const consoleBuildDir = join(repoRoot, 'agent-ui/dist/');

/**
 * The web console (agent-ui): serves the Vite build at / and at every client-side route, in the api role.
 * The pages and assets are public (the sign-in page must load before sign-in); everything they show comes
 * from the signed-in API routes. Assets are exempt from the per-address limit on public routes: they are
 * files from disk, and a room of operators behind one address loads them at the start of every shift.
 */
export const agentConsole: Capability = {
  name: 'console',
  async register(deps) {
    if (!deps.roles.has('api')) return;
    const { http } = deps;
    const buildDir = consoleBuildDir;
    // The build wrote .br and .gz beside each asset (agent-ui/precompress.ts): sent as the browser accepts them.
    await http.register(fastifyStatic, { root: buildDir, serve: false, decorateReply: true, preCompressed: true });

    const page = { roles: 'public' as const, rateLimit: false as const };
    const sendIndex = (reply: FastifyReply) => {
      if (!existsSync(`${buildDir}/index.html`)) {
        return reply.code(503).type('application/json').send({
          code: 'console_not_built',
          message: 'The console has not been built: run npm run build:console (npm start does it).',
          message_zh: '工作台尚未构建：请运行 npm run build:console（npm start 会自动构建）。',
        });
      }
      // Never cached: it names the current assets, whose hashed file names change with each build.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', buildDir, { cacheControl: false });
    };
    const builtIn: string[] = ['/', ...Object.values(paths)];
    for (const url of new Set([...builtIn, ...featurePaths(join(repoRoot, 'agent-ui/src/pages'))])) {
      http.get(url, { config: page, schema: { hide: true } }, (_request, reply) => sendIndex(reply));
    }
    http.get<{ Params: { '*': string } }>('/assets/*', { config: page, schema: { hide: true } }, (request, reply) =>
      reply.sendFile(request.params['*'], `${buildDir}/assets`, { immutable: true, maxAge: '365d' }),
    );

    registerSoftphoneSettingsRoute(http, serviceOf(deps, 'telephony'), deps.config.console);
    const app = http.withTypeProvider<ZodTypeProvider>();
    registerMyQueueRoute(app, serviceOf(deps, 'tickets'));
    registerOperatorsRoute(app, deps.db);
  },
};
