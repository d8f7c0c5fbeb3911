import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { withRoles } from './access.ts';

/**
 * The OpenAPI description, generated from every route's zod schemas (registered first, so it sees every
 * route added after it), and the docs page at /docs (JSON at /docs/json). Both are public.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: '12368 Hotline API · 12368 诉讼服务热线接口',
        description: 'Sign in with POST /api/auth/sign-in; the session cookie authenticates every other call. Errors: {code, message, message_zh}.',
        version: '1',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'hotline_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(withRoles('public', swaggerUi), { routePrefix: '/docs' });
}
