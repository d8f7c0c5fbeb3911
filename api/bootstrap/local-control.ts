/**
 * Local commands through the running hotline. With the embedded database only one process may open its files
 * (platform/db/embedded-owner.ts), so `npm run admin:create` and `npm run knowledge:import` ask the hotline that
 * holds them: it publishes its address and a random token in the owner file (readable by this user only), and
 * these routes answer only a loopback caller presenting that token. With PostgreSQL the commands open the
 * database themselves and these routes do not exist.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { publishLocalAddress } from '../../platform/db/embedded-owner.ts';
import type { Deps } from '../../platform/deps.ts';
import { errors } from '../../platform/http/errors.ts';
import { errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { importKnowledgeForCourt, NoSuchCourt } from '../knowledge/import-for-court.ts';
import { entryFields } from '../knowledge/knowledge.schemas.ts';
import { AdminRefused, createAdmin } from './create-admin.ts';

const tags = ['local'];
const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export const localAdminBody = z.strictObject({
  courtCode: z.string().max(32),
  courtName: z.string().max(100),
  username: z.string().max(64),
  displayName: z.string().max(100),
  password: z.string().max(200).optional(),
});
export const localKnowledgeBody = z.strictObject({ courtCode: z.string().max(32), entries: z.array(entryFields).min(1).max(500).optional() });

/** A connection from this machine: loopback, or both ends on the same address (a hotline bound to a LAN address). */
export function fromThisMachine(socket: { remoteAddress?: string | undefined; localAddress?: string | undefined }): boolean {
  const remote = socket.remoteAddress ?? '';
  return loopback.has(remote) || (remote !== '' && remote === socket.localAddress);
}

export function registerLocalControl(app: ApiApp, deps: Pick<Deps, 'config' | 'http' | 'db'>, audit: AuditLog): void {
  if (deps.config.database.url) return;
  const dataDir = resolve(deps.config.dataDir);
  const token = randomBytes(32).toString('base64url');
  deps.http.addHook('onListen', async () => {
    const address = deps.http.server.address() as AddressInfo;
    const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
    publishLocalAddress(dataDir, { url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`, token });
  });
  const expected = Buffer.from(`Bearer ${token}`);
  // Raw socket addresses, not request.ip: behind a trusted proxy request.ip is what the proxy was told. This machine
  // only: loopback, or (the hotline listening on one LAN address, which the command then dials) a connection whose
  // two ends are the same address.
  const allowed = (request: { socket: { remoteAddress?: string | undefined; localAddress?: string | undefined }; headers: { authorization?: string | undefined } }) => {
    const sameHost = fromThisMachine(request.socket);
    const given = Buffer.from(request.headers.authorization ?? '');
    return sameHost && given.length === expected.length && timingSafeEqual(given, expected);
  };

  app.post('/api/local/admin', {
    config: { roles: 'public' },
    schema: { tags, summary: 'npm run admin:create through the running hotline (embedded database; loopback and its token only)', body: localAdminBody, response: { 200: z.object({ courtId: z.string(), courtCreated: z.boolean(), userId: z.string(), password: z.string().nullable() }), ...errorResponses } },
    handler: async (request) => {
      if (!allowed(request)) throw errors.forbidden();
      try {
        const created = await createAdmin(deps.db, audit, request.body);
        return { courtId: created.courtId, courtCreated: created.courtCreated, userId: created.userId, password: created.passwordGenerated ? created.password : null };
      } catch (err) {
        if (err instanceof AdminRefused) throw errors.invalidInput(err.message);
        throw err;
      }
    },
  });

  app.post('/api/local/knowledge-import', {
    config: { roles: 'public' },
    schema: { tags, summary: 'npm run knowledge:import through the running hotline (embedded database; loopback and its token only)', body: localKnowledgeBody, response: { 200: z.object({ created: z.number(), updated: z.number() }), ...errorResponses } },
    handler: async (request) => {
      if (!allowed(request)) throw errors.forbidden();
      try {
        return await importKnowledgeForCourt(deps.db, request.body.courtCode, request.body.entries);
      } catch (err) {
        if (err instanceof NoSuchCourt) throw errors.invalidInput(err.message);
        throw err;
      }
    },
  });
}
