/**
 * A seal's list of records (`record_seals.leaves`), packed: one base64 string, `p1:` first, instead of a jsonb
 * array of [key, hash] pairs. Per record, a kind byte, its id as 16 bytes (a transfer leg: its call's id and a
 * 2-byte seq) and its 32-byte hash: 49 bytes instead of ~110 in a jsonb array that PostgreSQL had to parse, store out
 * of line and compress on every batch. A key of any other shape is kept whole (kind 0, 2-byte length, UTF-8).
 * Seals written before packing hold the array; `unpackLeaves` reads both.
 */
const kinds = ['', 'call', 'close', 'event', 'leg', 'outleg', 'outstatus', 'satisfaction'] as const;
const kindByte = new Map<string, number>(kinds.map((k, i) => [k, i]));
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const prefix = 'p1:';

export type PackedLeaves = string;
/** What the column holds: packed, or the pairs of the first seals. */
export type StoredLeaves = PackedLeaves | Array<[string, string]>;

export function packLeaves(leaves: ReadonlyArray<{ key: string; hash: string }>): PackedLeaves {
  const buf = Buffer.allocUnsafe(leaves.reduce((n, l) => n + 53 + (kindOf(l.key) === 0 ? Buffer.byteLength(l.key) : 0), 0));
  let at = 0;
  for (const { key, hash } of leaves) {
    const kind = kindOf(key);
    at = buf.writeUInt8(kind, at);
    const id = key.slice(key.indexOf(':') + 1);
    if (kind === 0) {
      at = buf.writeUInt16BE(Buffer.byteLength(key), at);
      at += buf.write(key, at, 'utf8');
    } else if (kind === 4) {
      const slash = id.indexOf('/');
      at += buf.write(id.slice(0, slash).replaceAll('-', ''), at, 'hex');
      at = buf.writeUInt16BE(Number(id.slice(slash + 1)), at);
    } else {
      at += buf.write(id.replaceAll('-', ''), at, 'hex');
    }
    at += buf.write(hash, at, 'hex');
  }
  return prefix + buf.subarray(0, at).toString('base64');
}

/** The [key, hash] pairs of a stored list, in order; throws on a list that is neither form (edited by hand). */
export function unpackLeaves(stored: StoredLeaves): Array<[string, string]> {
  if (Array.isArray(stored)) return stored;
  if (typeof stored !== 'string' || !stored.startsWith(prefix)) throw new Error('not a list of sealed records');
  const buf = Buffer.from(stored.slice(prefix.length), 'base64');
  const out: Array<[string, string]> = [];
  let at = 0;
  while (at < buf.length) {
    const kind = buf.readUInt8(at++);
    let key: string;
    if (kind === 0) {
      const length = buf.readUInt16BE(at);
      key = buf.toString('utf8', at + 2, at + 2 + length);
      at += 2 + length;
    } else if (kind === 4) {
      key = `leg:${uuidAt(buf, at)}/${buf.readUInt16BE(at + 16)}`;
      at += 18;
    } else if (kind < kinds.length) {
      key = `${kinds[kind]}:${uuidAt(buf, at)}`;
      at += 16;
    } else throw new Error(`unknown record kind ${kind}`);
    if (at + 32 > buf.length) throw new Error('list cut short');
    out.push([key, buf.toString('hex', at, at + 32)]);
    at += 32;
  }
  return out;
}

function kindOf(key: string): number {
  const colon = key.indexOf(':');
  const kind = kindByte.get(key.slice(0, colon)) ?? 0;
  if (kind === 0) return 0;
  const id = key.slice(colon + 1);
  if (kind !== 4) return uuid.test(id) ? kind : 0;
  const slash = id.indexOf('/');
  const seq = Number(id.slice(slash + 1));
  return slash > 0 && uuid.test(id.slice(0, slash)) && Number.isInteger(seq) && seq >= 0 && seq < 65536 && String(seq) === id.slice(slash + 1) ? kind : 0;
}

function uuidAt(buf: Buffer, at: number): string {
  const h = buf.toString('hex', at, at + 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
