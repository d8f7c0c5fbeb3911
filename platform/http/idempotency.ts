import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HotlineError } from '../errors.ts';
import type { Redis } from '../redis/connect.ts';

export interface IdempotencyOptions {
  redis: Redis;
  /** The deployment's Redis key prefix (config redis.prefix). */
  prefix: string;
  /** How long a key's first answer is kept and replayed. */
  ttlSeconds?: number;
  /** How long a request in hand holds its key (a crashed process's claim ends then). */
  pendingSeconds?: number;
}

export const idempotencyHeader = 'idempotency-key';
/** Set on an answer replayed from an earlier request with the same key: nothing ran this time. */
export const replayedHeader = 'idempotent-replayed';
const keyPattern = /^[\x21-\x7e]{1,255}$/;

interface Stored {
  state: 'pending' | 'done';
  fingerprint: string;
  status?: number;
  contentType?: string;
  body?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The Redis key this request claimed with its Idempotency-Key (set while it is the first with that key). */
    idempotencyClaim?: { key: string; fingerprint: string };
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const idempotencyErrors = {
  badKey: () => new HotlineError('invalid_input', 400, 'Idempotency-Key must be 1–255 visible ASCII characters (a UUID is usual).', 'Idempotency-Key 须为 1–255 个可见 ASCII 字符（通常为 UUID）。'),
  reused: () =>
    new HotlineError('idempotency_key_reused', 422, 'This Idempotency-Key was used for a different request; use a new key for a new request.', '该 Idempotency-Key 已用于另一个不同的请求；新请求请使用新的键。'),
  inProgress: () =>
    new HotlineError('idempotency_in_progress', 409, 'A request with this Idempotency-Key is still being handled; retry in a moment.', '使用该 Idempotency-Key 的请求仍在处理中，请稍后重试。', { 'retry-after': '1' }),
};

/**
 * `Idempotency-Key` on every POST of a signed-in user (every creating route: tickets, callbacks, relays, users, …):
 * the first request with a key runs and its answer (status and body, 5xx excepted) is kept in Redis for `ttlSeconds`;
 * the same key from the same user with the same request (method, URL, body) gets that answer again, marked
 * `Idempotent-Replayed: true`, and nothing runs twice; the same key with a different request is refused with 422
 * `idempotency_key_reused`; while the first is still running, 409 `idempotency_in_progress`. Keys are per user: one
 * user's key never replays another's answer. A request without the header runs as always.
 *
 * Runs as a preHandler, after the session check (request.actor) and the body's validation.
 */
export function registerIdempotency(app: FastifyInstance, { redis, prefix, ttlSeconds = 24 * 3600, pendingSeconds = 60 }: IdempotencyOptions): void {
  const redisKey = (request: FastifyRequest, key: string) => `${prefix}:idempotency:${request.actor.userId}:${sha256(key)}`;

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.actor) return;
    const header = request.headers[idempotencyHeader];
    if (header === undefined) return;
    if (typeof header !== 'string' || !keyPattern.test(header)) throw idempotencyErrors.badKey();
    const key = redisKey(request, header);
    const fingerprint = sha256(`${request.method} ${request.url}\n${canonicalize(request.body ?? null) ?? ''}`);
    const claim: Stored = { state: 'pending', fingerprint };
    const claimed = await redis.set(key, JSON.stringify(claim), 'EX', pendingSeconds, 'NX');
    if (claimed === 'OK') {
      request.idempotencyClaim = { key, fingerprint };
      return;
    }
    const raw = await redis.get(key);
    if (raw === null) throw idempotencyErrors.inProgress(); // expired between the two calls: the client retries
    const stored = JSON.parse(raw) as Stored;
    if (stored.fingerprint !== fingerprint) throw idempotencyErrors.reused();
    if (stored.state === 'pending') throw idempotencyErrors.inProgress();
    reply.header(replayedHeader, 'true');
    if (stored.contentType) reply.type(stored.contentType);
    return reply.code(stored.status ?? 200).send(stored.body ?? '');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = undefined;
    // A failure on our side is not an answer to keep: the client may retry with the same key.
    if (reply.statusCode >= 500 || (payload !== null && payload !== undefined && typeof payload !== 'string')) {
      await redis.del(claim.key);
      return payload;
    }
    const done: Stored = {
      state: 'done',
      fingerprint: claim.fingerprint,
      status: reply.statusCode,
      contentType: String(reply.getHeader('content-type') ?? ''),
      body: payload ?? '',
    };
    await redis.set(claim.key, JSON.stringify(done), 'EX', ttlSeconds);
    return payload;
  });
}
