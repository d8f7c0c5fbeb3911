import type { FastifySerializerCompiler } from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { responseJsonSchema, serializerCompiler } from './response-serializer.ts';

const compile = (schema: z.ZodType) => serializerCompiler({ schema, method: 'GET', url: '/x', httpStatus: '200' } as Parameters<FastifySerializerCompiler<z.ZodType>>[0]);

describe('response serializer', () => {
  const user = z.object({ id: z.string(), phoneMasked: z.string().nullable(), createdAt: z.date() });

  it('sends only the declared fields, dates as ISO strings', () => {
    const row = { id: 'u1', phoneMasked: '138****5678', createdAt: new Date('2026-01-02T03:04:05.678Z'), passwordHash: '$argon2id$…', phone: '13812345678' };
    expect(JSON.parse(compile(z.array(user))([row]))).toEqual([{ id: 'u1', phoneMasked: '138****5678', createdAt: '2026-01-02T03:04:05.678Z' }]);
  });

  it('picks a union’s branch even when the value carries undeclared fields, and drops them', () => {
    const event = z.union([z.object({ kind: z.literal('call'), callId: z.string() }), z.object({ kind: z.literal('ticket'), number: z.string() })]);
    expect(JSON.parse(compile(event)({ kind: 'ticket', number: 'J-1', secret: 'x' }))).toEqual({ kind: 'ticket', number: 'J-1' });
  });

  it('refuses a response that lacks a required field rather than sending a partial one', () => {
    expect(() => compile(user)({ id: 'u1', phoneMasked: null })).toThrow();
  });

  it('keeps zod (validate and encode, then stringify) for a codec, whose wire form differs from the handler’s value', () => {
    const count = z.codec(z.string().regex(/^\d+$/), z.number().int(), { decode: Number, encode: String });
    const body = z.object({ count });
    expect(responseJsonSchema(body)).toBeUndefined();
    expect(compile(body)({ count: 42, extra: true })).toBe('{"count":"42"}');
    expect(() => compile(body)({ count: 1.5 })).toThrow();
  });
});
