import { asc, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { genesis, merkleRoot, sha256 } from '../../platform/seals/canonical.ts';
import type { Head } from '../../platform/seals/checkpoints.ts';
import { forEachHeadLine, type HeadLogSource } from '../../platform/seals/head-log.ts';
import type { SealVerifier } from '../../platform/seals/keys.ts';
import type { Findings } from '../../platform/seals/problems.ts';
import { outboundAttempts, outboundRequests } from '../outbound/outbound.sql.ts';
import { callEvents, calls, transferLegs } from '../telephony.sql.ts';
import { callSealText, leaves, legFields, outboundLegFields, parseCallSealText, type SealLeaf } from './seal.ts';
import { unpackLeaves } from './seal-pack.ts';
import { recordSeals } from './seals.sql.ts';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/**
 * The keyed check of the call records: every seal chain is whole (numbered from 1, each seal following the one
 * before, its root over its leaves, signed with the key), reaches its last checkpoint and every seal the head logs
 * recorded, and every row of calls, call events, transfer legs and outbound attempts and results is the record a
 * seal holds: an edited row, a row no seal holds (inserted without the key) and a sealed record whose row is gone
 * are each named; so are calls deleted together with their seals, when a head log recorded those seals.
 */
export async function verifyCallRecords(
  db: Db,
  verifier: SealVerifier,
  checkpoint: Record<string, Head>,
  findings: Findings,
  headLogs: HeadLogSource | null = null,
): Promise<{ chains: number; seals: number; rows: number }> {
  const sealed = new Map<string, Set<string>>();
  const seals = await db.select().from(recordSeals).orderBy(asc(recordSeals.stream), asc(recordSeals.courtId), asc(recordSeals.seq));
  const chains = new Map<string, Head>();
  /** Each chain's seal hashes by number, to hold the head logs against. */
  const hashes = new Map<string, Map<number, string>>();
  for (const s of seals) {
    const chain = `${s.stream}/${s.courtId}`;
    const name = `telephony.record_seals chain ${chain} seal #${s.seq}`;
    const head = chains.get(chain) ?? { seq: 0, hash: genesis };
    if (s.seq !== head.seq + 1) findings.add(name, `seals #${head.seq + 1}..#${s.seq - 1} are missing: deleted`);
    else if (s.prev !== head.hash) findings.add(name, 'does not follow the seal before it: the chain was rewritten');
    let list: Array<[string, string]> = [];
    try {
      list = unpackLeaves(s.leaves);
    } catch (err) {
      findings.add(name, `its list of records cannot be read (${(err as Error).message}): edited`);
    }
    const text = callSealText({ stream: s.stream, courtId: s.courtId, seq: s.seq, prev: s.prev, root: s.root, count: list.length });
    const signed = verifier.verify(text, s.seal);
    if (sha256(text) !== s.hash) findings.add(name, 'its hash does not match its content: the seal was edited');
    if (!signed) findings.add(name, `its signature does not verify with key ${verifier.keyId}: sealed without the key`);
    const rooted = merkleRoot(list.map((l) => l[1])) === s.root;
    if (!rooted) findings.add(name, 'its records do not give its root: its list of records was edited');
    const cp = checkpoint[chain];
    if (cp && cp.seq === s.seq && cp.hash !== s.hash) findings.add(name, `differs from the checkpoint's head: the chain was rewritten`);
    // A seal made without the key, or whose list was edited, vouches for no row: those rows are named too.
    if (signed && rooted) {
      for (const [key, hash] of list) {
        const set = sealed.get(key);
        if (set) set.add(hash);
        else sealed.set(key, new Set([hash]));
      }
    }
    chains.set(chain, { seq: s.seq, hash: s.hash });
    let byNumber = hashes.get(chain);
    if (!byNumber) hashes.set(chain, (byNumber = new Map()));
    byNumber.set(s.seq, s.hash);
  }
  for (const [chain, cp] of Object.entries(checkpoint)) {
    const head = chains.get(chain);
    if (!head) findings.add(`telephony.record_seals chain ${chain}`, `the whole chain is missing (checkpoint had it through seal #${cp.seq}): its records were deleted`);
    else if (head.seq < cp.seq) findings.add(`telephony.record_seals chain ${chain} seal #${head.seq + 1}`, `the chain ends at #${head.seq} but the checkpoint had it through #${cp.seq}: its tail was cut`);
  }

  const seen = new Set<string>();
  const rowLeaves = await currentLeaves(db);
  for (const r of rowLeaves.leaves) {
    seen.add(r.key);
    const set = sealed.get(r.key);
    if (!set) findings.add(r.record, `no seal holds this ${r.what}: written without the key`);
    else if (!set.has(r.hash)) findings.add(r.record, `this ${r.what} differs from its sealed record: edited`);
  }
  for (const open of rowLeaves.openCalls) {
    const closeKey = `close:${open.id}`;
    if (sealed.has(closeKey)) {
      seen.add(closeKey);
      findings.add(open.record, 'its sealed close is gone (the row was reopened): edited');
    }
  }
  const tables: Record<string, string> = { call: 'telephony.calls id', event: 'telephony.call_events id', leg: 'telephony.transfer_legs', outleg: 'telephony.outbound_attempts id', outstatus: 'telephony.outbound_requests id' };
  for (const key of sealed.keys()) {
    if (seen.has(key)) continue;
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const table = tables[kind];
    if (table) findings.add(`${table} ${id}`, 'a seal holds this record but its row is gone: deleted');
  }
  if (headLogs) await checkHeadLogs(headLogs, verifier, chains, hashes, seen, findings);
  return { chains: chains.size, seals: seals.length, rows: rowLeaves.rows };
}

/**
 * Holds every seal the head logs recorded against the database: a seal there with another hash is a rewritten
 * chain; seals past a chain's end (or of a chain that is gone) were deleted, and each call they held whose row is
 * gone is named. Only a line that disagrees has its signature checked.
 */
async function checkHeadLogs(logs: HeadLogSource, verifier: SealVerifier, chains: Map<string, Head>, hashes: Map<string, Map<number, string>>, rows: Set<string>, findings: Findings): Promise<void> {
  const cut = new Map<string, { to: number; where: string; calls: Map<string, number> }>();
  await forEachHeadLine(
    logs,
    'calls',
    ({ entry, where }) => {
      const s = parseCallSealText(entry.text);
      if (!s) return findings.add(where, 'is not a call-record seal: the head log was edited');
      const chain = `${s.stream}/${s.courtId}`;
      const stored = hashes.get(chain)?.get(s.seq);
      if (stored === sha256(entry.text)) return;
      if (!verifier.verify(entry.text, entry.sig)) return findings.add(where, `its signature does not verify with key ${verifier.keyId}: written without the key`);
      if (stored !== undefined) return findings.add(`telephony.record_seals chain ${chain} seal #${s.seq}`, `differs from the seal the head log recorded (${where}): the chain was rewritten`);
      // A seal missing inside the chain is named by the walk (a gap).
      if (s.seq <= (chains.get(chain)?.seq ?? 0)) return;
      let c = cut.get(chain);
      if (!c) cut.set(chain, (c = { to: 0, where, calls: new Map() }));
      if (s.seq > c.to) Object.assign(c, { to: s.seq, where });
      for (const id of entry.hint ?? []) if (!c.calls.has(id)) c.calls.set(id, s.seq);
    },
    (where, problem) => findings.add(where, problem),
  );
  for (const [chain, c] of cut) {
    const head = chains.get(chain);
    if (!head) findings.add(`telephony.record_seals chain ${chain}`, `the whole chain is missing (the head log had it through seal #${c.to}, ${c.where}): its records were deleted`);
    else findings.add(`telephony.record_seals chain ${chain} seal #${head.seq + 1}`, `the chain ends at #${head.seq} but the head log had it through #${c.to} (${c.where}): its tail was cut`);
    for (const [id, seq] of c.calls) {
      if (!rows.has(`call:${id}`)) findings.add(`telephony.calls id ${id}`, `deleted together with its seal (chain ${chain} seal #${seq}, recorded in the head log)`);
    }
  }
}

interface RowLeaf extends SealLeaf {
  record: string;
  what: string;
}

/** The leaf of every row as it is now (and the calls still open), by the same definitions the writer seals with. */
async function currentLeaves(db: Db): Promise<{ leaves: RowLeaf[]; openCalls: Array<{ id: string; record: string }>; rows: number }> {
  const out: RowLeaf[] = [];
  const openCalls: Array<{ id: string; record: string }> = [];
  let rows = 0;
  const add = (courtId: string | null, record: string, key: string, hash: string, what = 'row') => out.push({ courtId, record, key, hash, what });
  for (const c of await db.select().from(calls)) {
    rows++;
    const record = `telephony.calls id ${c.id}`;
    add(c.courtId, record, `call:${c.id}`, leaves.callStart({ ...c, arrivedAt: c.arrivedAt.toISOString() }));
    if (c.outcome !== null) {
      const close = { callId: c.id, outcome: c.outcome, hangupBy: c.hangupBy, endedAt: iso(c.endedAt), inHours: c.inHours, skill: c.skill, queuedAt: iso(c.queuedAt), answeredAt: iso(c.answeredAt), answeredBy: c.answeredBy };
      add(c.courtId, record, `close:${c.id}`, leaves.close(close), 'close');
    } else openCalls.push({ id: c.id, record });
  }
  for (const e of await db.select().from(callEvents)) {
    rows++;
    add(e.courtId, `telephony.call_events id ${e.id}`, `event:${e.id}`, leaves.event({ ...e, at: e.at.toISOString() }));
  }
  for (const l of await db.select().from(transferLegs)) {
    rows++;
    const fields = legFields({ ...l, startedAt: l.startedAt.toISOString(), answeredAt: iso(l.answeredAt), endedAt: iso(l.endedAt) });
    add(l.courtId, `telephony.transfer_legs call ${l.callId} leg ${l.seq}`, `leg:${l.callId}/${l.seq}`, leaves.leg(fields));
  }
  for (const a of await db.select().from(outboundAttempts)) {
    rows++;
    const fields = outboundLegFields({ ...a, startedAt: a.startedAt.toISOString(), answeredAt: iso(a.answeredAt), endedAt: a.endedAt.toISOString() });
    add(a.courtId, `telephony.outbound_attempts id ${a.id}`, `outleg:${a.id}`, leaves.outboundLeg(fields));
  }
  for (const q of await db.select().from(outboundRequests)) {
    rows++;
    // A request as the API accepted it (no attempt, no result) is not sealed; every status the controller gives it is.
    if (q.result === null && q.attempts === 0 && q.satisfaction === null) continue;
    const record = `telephony.outbound_requests id ${q.id}`;
    const status = { outboundId: q.id, status: q.status, attempts: q.attempts, nextAttemptAt: iso(q.nextAttemptAt), result: q.result, detail: q.detail, finishedAt: iso(q.finishedAt), updatedAt: q.updatedAt.toISOString() };
    add(null, record, `outstatus:${q.id}`, leaves.outboundStatus(status), 'result');
    if (q.satisfaction !== null) add(null, record, `satisfaction:${q.id}`, leaves.satisfaction(q.id, q.satisfaction), 'satisfaction');
  }
  return { leaves: out, openCalls, rows };
}

/** The leaves of rows whose key no seal holds at all (never sealed): what `npm run seals:adopt` seals. */
export async function unsealedCallLeaves(db: Db): Promise<SealLeaf[]> {
  const sealed = new Set<string>();
  for (const s of await db.select({ leaves: recordSeals.leaves }).from(recordSeals)) for (const [key] of unpackLeaves(s.leaves)) sealed.add(key);
  return (await currentLeaves(db)).leaves.filter((l) => !sealed.has(l.key)).map(({ courtId, key, hash }) => ({ courtId, key, hash }));
}
