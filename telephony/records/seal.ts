import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { canonicalJson, genesis, leafText, merkleRoot, sha256 } from '../../platform/seals/canonical.ts';
import type { Head } from '../../platform/seals/checkpoints.ts';
import type { HeadLog } from '../../platform/seals/head-log.ts';
import type { SealSigner } from '../../platform/seals/keys.ts';
import { packLeaves, type PackedLeaves } from './seal-pack.ts';

/** The court of records that have none (a seal chain needs a key). */
export const noCourt = '00000000-0000-0000-0000-000000000000';

/** One sealed record: its court, its key (`call:<id>`, `close:<id>`, …) and the hash of its canonical form. */
export interface SealLeaf {
  courtId: string | null;
  key: string;
  hash: string;
}

type Iso = string | null;
/** A leaf's hash over fields in a fixed order (JSON of an array: no key sorting on the hot path). */
const fixed = (key: string, fields: unknown[], tail = '') => leafText(key, JSON.stringify(fields) + tail);

/**
 * The canonical forms, the one definition for the writer (from journal records) and verify (from rows): each is
 * what a row holds of that record, in a fixed field order, with times as ISO strings; an event's free-form `data`
 * in RFC 8785 form (jsonb does not keep key order).
 */
export const leaves = {
  callStart: (c: { id: string; courtId: string | null; channelId: string; callerNumber: string; dialled: string; arrivedAt: string }) =>
    fixed(`call:${c.id}`, [c.id, c.courtId, c.channelId, c.callerNumber, c.dialled, c.arrivedAt]),
  close: (c: { callId: string; outcome: string | null; hangupBy: string | null; endedAt: Iso; inHours: boolean | null; skill: string | null; queuedAt: Iso; answeredAt: Iso; answeredBy: string | null }) =>
    fixed(`close:${c.callId}`, [c.callId, c.outcome, c.hangupBy, c.endedAt, c.inHours, c.skill, c.queuedAt, c.answeredAt, c.answeredBy]),
  event: (e: { id: string; callId: string; courtId: string | null; at: string; seq: number; kind: string; operatorId: string | null; data: unknown }) =>
    fixed(`event:${e.id}`, [e.id, e.callId, e.courtId, e.at, e.seq, e.kind, e.operatorId], canonicalJson(e.data ?? {})),
  leg: (l: ReturnType<typeof legFields>) => fixed(`leg:${l.callId}/${l.seq}`, Object.values(l)),
  outboundLeg: (l: ReturnType<typeof outboundLegFields>) => fixed(`outleg:${l.id}`, Object.values(l)),
  outboundStatus: (s: { outboundId: string; status: string; attempts: number; nextAttemptAt: Iso; result: string | null; detail: string | null; finishedAt: Iso; updatedAt: string }) =>
    fixed(`outstatus:${s.outboundId}`, [s.outboundId, s.status, s.attempts, s.nextAttemptAt, s.result, s.detail, s.finishedAt, s.updatedAt]),
  satisfaction: (outboundId: string, satisfaction: string) => fixed(`satisfaction:${outboundId}`, [outboundId, satisfaction]),
};

/** A transfer leg's sealed fields, in one shape for the record and the row. */
export function legFields(l: {
  callId: string;
  seq: number;
  courtId: string | null;
  mode: string;
  targetKind: string;
  targetUserId: string | null;
  targetDepartmentId: string | null;
  targetLabel: string;
  dial: string;
  requestedBy: string | null;
  caseNumber: string | null;
  startedAt: string;
  answeredAt: Iso;
  endedAt: Iso;
  outcome: string | null;
}) {
  const { callId, seq, courtId, mode, targetKind, targetUserId, targetDepartmentId, targetLabel, dial, requestedBy, caseNumber, startedAt, answeredAt, endedAt, outcome } = l;
  return { callId, seq, courtId, mode, targetKind, targetUserId, targetDepartmentId, targetLabel, dial, requestedBy, caseNumber, startedAt, answeredAt, endedAt, outcome };
}

/** An outbound leg's sealed fields. */
export function outboundLegFields(l: {
  id: string;
  outboundId: string;
  courtId: string;
  attempt: number;
  leg: string;
  channelId: string;
  operatorId: string | null;
  outcome: string;
  startedAt: string;
  answeredAt: Iso;
  endedAt: string;
  detail: string | null;
}) {
  const { id, outboundId, courtId, attempt, leg, channelId, operatorId, outcome, startedAt, answeredAt, endedAt, detail } = l;
  return { id, outboundId, courtId, attempt, leg, channelId, operatorId, outcome, startedAt, answeredAt, endedAt, detail };
}

/** What a call-record seal signs. */
export function callSealText(s: { stream: string; courtId: string; seq: number; prev: string; root: string; count: number }): string {
  return `hotline-seal/calls/v1\0${s.stream}\0${s.courtId}\0${s.seq}\0${s.prev}\0${s.root}\0${s.count}`;
}

export interface SealRow {
  stream: string;
  court_id: string;
  seq: number;
  prev: string;
  root: string;
  leaves: PackedLeaves;
  hash: string;
  seal: string;
}

/** A seal prepared for a batch: its rows, and `commit()` once they are in the database. */
export interface PreparedSeals {
  rows: SealRow[];
  /** Moves the chains on past these seals and sends each to the head log. */
  commit(): void;
}

/**
 * The sealer of one journal: its own chain per court (`stream` is new at each start), heads kept in memory, so a
 * batch's seal costs no read: a Merkle root and one Ed25519 signature per court in the batch. Batches are sealed
 * one at a time (`exclusive`); a chain moves on only once its seal is in the database, and then the seal goes to
 * the head log (platform/seals/head-log.ts), with the calls it holds named.
 */
export class CallSealer {
  readonly stream = randomUUID();
  private readonly heads = new Map<string, Head>();
  private tail: Promise<unknown> = Promise.resolve();
  constructor(
    readonly signer: SealSigner,
    private readonly headLog: HeadLog | null = null,
  ) {}

  exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Sets a chain's head to a seal found in the database. */
  follow(courtId: string, head: Head): void {
    this.heads.set(courtId, head);
  }

  /**
   * Sets every chain of this stream to its last seal in the database: after a batch whose seal number was taken (a
   * retry after a lost reply, its seal already in), so the next seals follow what is there.
   */
  async resync(db: Db): Promise<void> {
    const { rows } = await db.execute<{ court_id: string; seq: number; hash: string }>(
      sql`select distinct on (court_id) court_id::text, seq, hash from telephony.record_seals where stream = ${this.stream} order by court_id, seq desc`,
    );
    for (const r of rows) this.follow(r.court_id, { seq: Number(r.seq), hash: r.hash });
  }

  /** The seals of a batch (one per court, deterministic: written again, a batch gives the same rows). */
  prepare(batch: SealLeaf[]): PreparedSeals {
    const byCourt = new Map<string, SealLeaf[]>();
    for (const leaf of batch) {
      const court = leaf.courtId ?? noCourt;
      const list = byCourt.get(court);
      if (list) list.push(leaf);
      else byCourt.set(court, [leaf]);
    }
    const rows: SealRow[] = [];
    const texts: string[] = [];
    for (const [courtId, list] of byCourt) {
      const head = this.heads.get(courtId) ?? { seq: 0, hash: genesis };
      const root = merkleRoot(list.map((l) => l.hash));
      const text = callSealText({ stream: this.stream, courtId, seq: head.seq + 1, prev: head.hash, root, count: list.length });
      texts.push(text);
      rows.push({ stream: this.stream, court_id: courtId, seq: head.seq + 1, prev: head.hash, root, leaves: packLeaves(list), hash: sha256(text), seal: this.signer.sign(text) });
    }
    return {
      rows,
      commit: () => {
        for (const [i, r] of rows.entries()) {
          this.heads.set(r.court_id, { seq: r.seq, hash: r.hash });
          this.headLog?.append('calls', `${r.stream}/${r.court_id}`, r.seq, texts[i]!, r.seal, callsHeld(byCourt.get(r.court_id)!));
        }
      },
    };
  }
}

/** The calls whose start or close a seal holds, to name them if the seal is found cut away. */
function callsHeld(leaves: SealLeaf[]): string[] {
  const ids = new Set<string>();
  for (const l of leaves) if (l.key.startsWith('call:') || l.key.startsWith('close:')) ids.add(l.key.slice(l.key.indexOf(':') + 1));
  return [...ids];
}

/** The fields of a call-record seal's signed text; null when the text is not one. */
export function parseCallSealText(text: string): { stream: string; courtId: string; seq: number; prev: string; root: string; count: number } | null {
  const [tag, stream, courtId, seq, prev, root, count, ...rest] = text.split('\0');
  if (tag !== 'hotline-seal/calls/v1' || rest.length > 0 || count === undefined) return null;
  return { stream: stream!, courtId: courtId!, seq: Number(seq), prev: prev!, root: root!, count: Number(count) };
}

/** Every call-record chain's head now, for the checkpoints (chain key: `<stream>/<court>`). */
export async function callHeads(db: Db): Promise<Record<string, Head>> {
  const { rows } = await db.execute<{ stream: string; court_id: string; seq: number; hash: string }>(
    sql`select distinct on (stream, court_id) stream::text, court_id::text, seq, hash from telephony.record_seals order by stream, court_id, seq desc`,
  );
  return Object.fromEntries(rows.map((r) => [`${r.stream}/${r.court_id}`, { seq: Number(r.seq), hash: r.hash }]));
}
