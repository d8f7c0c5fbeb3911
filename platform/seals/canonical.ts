import { createHash, hash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The one canonical form of a sealed record: JSON with sorted keys (RFC 8785), undefined keys dropped. */
export function canonical(value: unknown): string {
  return flatCanonical(value) ?? canonicalize(value) ?? 'null';
}

/**
 * The canonical form of a value as JSON carries it (Dates as ISO strings, undefined keys dropped): what a jsonb
 * column gives back, so a record and the row it became give the same text.
 */
export function canonicalJson(value: unknown): string {
  return flatCanonical(value) ?? canonical(JSON.parse(JSON.stringify(value ?? null)) as unknown);
}

/**
 * RFC 8785 of a plain object whose values are all strings, finite numbers, booleans or null (a call event's data,
 * nearly always), without the general walk; undefined for anything else, which the general form then takes.
 */
function flatCanonical(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (v !== null && typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) return undefined;
    if (typeof v === 'string' && !(v as string & { isWellFormed(): boolean }).isWellFormed()) return undefined;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(v)}`;
  }
  return `${out}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A leaf's hash: the record's key and its canonical form, domain-separated from inner nodes. */
export function leafHash(key: string, record: unknown): string {
  return createHash('sha256').update('leaf\0').update(key).update('\0').update(canonical(record)).digest('hex');
}

/** A leaf's hash over a canonical text the caller built (a fixed field order); one-shot (the hot path's hash). */
export function leafText(key: string, text: string): string {
  return hash('sha256', `leaf\0${key}\0${text}`, 'hex');
}

/** Merkle root over leaf hashes in order (an odd node is carried up); the empty tree's root is 64 zeros. */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) return '0'.repeat(64);
  let level = [...leaves];
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right === undefined ? level[i]! : hash('sha256', `node\0${level[i]!}${right}`, 'hex'));
    }
    level = next;
  }
  return level[0]!;
}

/** The hash of the start of every chain. */
export const genesis = '0'.repeat(64);
