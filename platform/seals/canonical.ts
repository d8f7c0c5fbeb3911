import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The one canonical form of a sealed record: JSON with sorted keys (RFC 8785), undefined keys dropped. */
export function canonical(value: unknown): string {
  return canonicalize(value) ?? 'null';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A leaf's hash: the record's key and its canonical form, domain-separated from inner nodes. */
export function leafHash(key: string, record: unknown): string {
  return createHash('sha256').update('leaf\0').update(key).update('\0').update(canonical(record)).digest('hex');
}

/** A leaf's hash over a canonical text the caller built (a fixed field order). */
export function leafText(key: string, text: string): string {
  return createHash('sha256').update('leaf\0').update(key).update('\0').update(text).digest('hex');
}

/** Merkle root over leaf hashes in order (an odd node is carried up); the empty tree's root is 64 zeros. */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) return '0'.repeat(64);
  let level = [...leaves];
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right === undefined ? level[i]! : createHash('sha256').update('node\0').update(level[i]!).update(right).digest('hex'));
    }
    level = next;
  }
  return level[0]!;
}

/** The hash of the start of every chain. */
export const genesis = '0'.repeat(64);
