import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { testRedisUrl, useRedisPrefix } from '../../test/harness/redis.ts';
import { operatorLegEndpoint } from '../endpoints/dial-target.ts';
import { Registrations } from './registrations.ts';

const prefix = useRedisPrefix();
const redis = new Redis(testRedisUrl);
afterAll(() => redis.quit());

describe('operator legs across nodes', () => {
  it('dials the softphone locally when it is on the caller node or nowhere known, else through trunk-<node>', () => {
    expect(operatorLegEndpoint('op1001', 'node1', 'node1')).toBe('op1001');
    expect(operatorLegEndpoint('op1001', undefined, 'node1')).toBe('op1001');
    expect(operatorLegEndpoint('op1001', 'node2', 'node1')).toBe('op1001@trunk-node2');
  });

  it('reads where each softphone is registered from what each node holder published; an unpublished node drops out', async () => {
    const r = new Registrations(redis, prefix, ['node1', 'node2'], createLogger({ level: 'silent', pretty: false }), 400);
    await r.publish('node1', ['op1', 'op3']);
    await r.publish('node2', ['op2', 'op3']);
    await r.refresh();
    expect(['op1', 'op2', 'op3', 'op4'].map((e) => r.registeredOn(e))).toEqual(['node1', 'node2', 'node1', undefined]);
    expect(r.dialEndpoint('op2', 'node1')).toBe('op2@trunk-node2');
    expect(r.dialEndpoint('op1', 'node1')).toBe('op1');
    // What the adapter of node 1 originates: a phone registered elsewhere through the trunk, the rest as given.
    expect(r.route('PJSIP/op2', 'node1')).toBe('PJSIP/op2@trunk-node2');
    expect(r.route('PJSIP/op1', 'node1')).toBe('PJSIP/op1');
    expect(r.route('PJSIP/ext-8001', 'node1')).toBe('PJSIP/ext-8001');
    expect(r.route('PJSIP/01062345678@trunk', 'node1')).toBe('PJSIP/01062345678@trunk');
    await r.publish('node2', ['op2', 'op3', 'ext-8001']);
    await r.refresh();
    expect(r.route('PJSIP/ext-8001', 'node1')).toBe('PJSIP/ext-8001@trunk-node2');
    // op1 unregistered on node 1; node 2's holder stops publishing (its list expires).
    await new Promise((res) => setTimeout(res, 500));
    await r.publish('node1', ['op3']);
    await r.refresh();
    expect(['op1', 'op2', 'op3'].map((e) => r.registeredOn(e))).toEqual([undefined, undefined, 'node1']);
  });
});
