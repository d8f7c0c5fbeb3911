import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../platform/seals/canonical.ts';
import { packLeaves, unpackLeaves } from './seal-pack.ts';

describe('a seal\'s packed list of records', () => {
  it('gives back every key and hash in order, a key of any other shape kept whole; the first seals\' pairs read as they are', () => {
    const id = randomUUID();
    const list: Array<[string, string]> = [
      [`call:${id}`, sha256('a')],
      [`close:${id}`, sha256('b')],
      [`event:${randomUUID()}`, sha256('c')],
      [`leg:${id}/3`, sha256('d')],
      [`outleg:${randomUUID()}`, sha256('e')],
      [`outstatus:${randomUUID()}`, sha256('f')],
      [`satisfaction:${randomUUID()}`, sha256('g')],
      ['call:NOT-A-UUID', sha256('h')],
      [`leg:${id}/070000`, sha256('i')],
      ['其他:记录', sha256('j')],
    ];
    const packed = packLeaves(list.map(([key, hash]) => ({ key, hash })));
    expect(packed).toMatch(/^p1:/);
    expect(unpackLeaves(packed)).toEqual(list);
    // 49 bytes a record with a uuid, against ~110 in the jsonb pairs.
    expect(Buffer.from(packLeaves([{ key: `event:${id}`, hash: sha256('x') }]).slice(3), 'base64')).toHaveLength(49);
    expect(unpackLeaves(list)).toBe(list);
    expect(() => unpackLeaves('p1:AQ==')).toThrow(/cut short/);
    expect(() => unpackLeaves('[1]' as never)).toThrow(/not a list/);
  });
});
