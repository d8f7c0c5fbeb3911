import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { canonicalJson, genesis } from '../../platform/seals/canonical.ts';
import type { Head } from '../../platform/seals/checkpoints.ts';
import { forEachHeadLine, type HeadLogSource } from '../../platform/seals/head-log.ts';
import type { SealVerifier } from '../../platform/seals/keys.ts';
import { Findings } from '../../platform/seals/problems.ts';
import { qualityEventHash, qualitySealText, type QualityEventKind } from './trail.ts';
import { weekOf } from './week.ts';

/** Each court's quality chain head as the database has it now: what the checkpoints record (domain `quality`). */
export async function qualityHeads(db: Db): Promise<Record<string, Head>> {
  const { rows } = await db.execute<{ court_id: string; seq: string | number; hash: string }>(
    sql`select distinct on (court_id) court_id::text, seq, hash from telephony.quality_events order by court_id, seq desc`,
  );
  return Object.fromEntries(rows.map((r) => [r.court_id, { seq: Number(r.seq), hash: r.hash }]));
}

/** A head log line's signed text, read back: `hotline-seal/quality/v1\0court\0seq\0hash`. */
export function parseQualitySealText(text: string): { courtId: string; seq: number; hash: string } | null {
  const parts = text.split('\0');
  if (parts.length !== 4 || parts[0] !== 'hotline-seal/quality/v1' || !/^[1-9]\d*$/.test(parts[2]!)) return null;
  return { courtId: parts[1]!, seq: Number(parts[2]), hash: parts[3]! };
}

type Expected = Head & { source: string };
type EventRow = {
  court_id: string;
  seq: string | number;
  review_id: string;
  kind: QualityEventKind;
  actor_id: string;
  at: Date | string;
  data: Record<string, unknown>;
  prev: string;
  hash: string;
  seal: string;
};

/**
 * The keyed check of the quality review trail (录音质检), court by court: every event follows the one before and
 * matches its hash (edited, inserted, deleted), carries a seal the key made (a chain re-hashed and re-signed without
 * it), and the chain reaches the furthest head its checkpoint or the head logs recorded, with the same hash there
 * (a cut tail, a deleted chain). Then every review row the figures count is held against its events: a score,
 * status, lock or operator changed in `quality_reviews` without an event, a scored review with no event, and a
 * review deleted under its events are named.
 */
export async function verifyQualityTrail(
  db: Db,
  verifier: SealVerifier,
  checkpoint: Record<string, Head>,
  findings: Findings,
  headLogs: HeadLogSource | null = null,
  onlyCourt?: string,
): Promise<{ courts: number; events: number; reviews: number }> {
  const expected: Record<string, Expected> = {};
  for (const [court, head] of Object.entries(checkpoint)) expected[court] = { ...head, source: 'the checkpoint' };
  /** Per court, each event's hash by number: the head logs are held against it. */
  const hashes = new Map<string, Map<number, string>>();
  const byReview = new Map<string, EventRow[]>();
  const only = onlyCourt === undefined ? sql`` : sql` where court_id = ${onlyCourt}`;
  const { rows } = await db.execute<EventRow>(
    sql`select court_id::text, seq, review_id::text, kind, actor_id::text, at, data, prev, hash, seal from telephony.quality_events${only} order by court_id, seq`,
  );
  for (const r of rows) {
    let seen = hashes.get(r.court_id);
    if (!seen) hashes.set(r.court_id, (seen = new Map()));
    seen.set(Number(r.seq), r.hash);
  }
  if (headLogs) await loggedHeads(headLogs, verifier, hashes, expected, findings);
  for (const [courtId, head] of Object.entries(expected)) {
    if ((onlyCourt === undefined || courtId === onlyCourt) && !hashes.has(courtId)) {
      findings.add(`telephony.quality_events court ${courtId}`, `the court's whole quality chain is missing (${head.source} had it through event #${head.seq}): deleted`);
    }
  }
  let court = '';
  let prev = genesis;
  let next = 1;
  const endOf = () => {
    const head = expected[court];
    if (court && head && next - 1 < head.seq) findings.add(name(court, next), `the chain ends at #${next - 1} but ${head.source} had it through #${head.seq}: its tail was cut`);
  };
  for (const r of rows) {
    if (r.court_id !== court) {
      endOf();
      [court, prev, next] = [r.court_id, genesis, 1];
    }
    const seq = Number(r.seq);
    const record = name(court, seq, r.review_id);
    if (seq !== next) findings.add(name(court, next), `is missing (the next is #${seq}): deleted`);
    else if (r.prev !== prev) findings.add(record, 'does not follow the event before it (its previous hash differs): an event before it was deleted, inserted or edited');
    const at = new Date(r.at).toISOString();
    if (qualityEventHash(r.prev, { courtId: court, seq, reviewId: r.review_id, kind: r.kind, actorId: r.actor_id, at, data: r.data }) !== r.hash) {
      findings.add(record, 'its content does not match its hash: the event was edited');
    }
    if (!verifier.verify(qualitySealText(court, seq, r.hash), r.seal)) findings.add(record, `its seal does not verify with key ${verifier.keyId}: written or re-sealed without the key`);
    const head = expected[court];
    if (head && head.seq === seq && head.hash !== r.hash) findings.add(record, `differs from the head ${head.source} had at #${seq}: the chain was rewritten`);
    const list = byReview.get(r.review_id);
    if (list) list.push(r);
    else byReview.set(r.review_id, [r]);
    [prev, next] = [r.hash, seq + 1];
  }
  endOf();
  const reviews = await checkReviews(db, byReview, findings, onlyCourt);
  return { courts: hashes.size, events: rows.length, reviews };
}

const name = (courtId: string, seq: number, reviewId?: string) => `telephony.quality_events court ${courtId}, event #${seq}${reviewId ? ` (review ${reviewId})` : ''}`;

/**
 * Every quality seal the head logs recorded, held against the database: one with another hash at its number is a
 * rewritten chain; the furthest beyond a chain's end (or of a chain that is gone) is what the chain must reach.
 * Only a line that disagrees has its signature checked (one written without the key is named).
 */
async function loggedHeads(logs: HeadLogSource, verifier: SealVerifier, hashes: Map<string, Map<number, string>>, expected: Record<string, Expected>, findings: Findings): Promise<void> {
  await forEachHeadLine(
    logs,
    'quality',
    ({ entry, where }) => {
      const s = parseQualitySealText(entry.text);
      if (!s) return findings.add(where, 'is not a quality-review seal: the head log was edited');
      const stored = hashes.get(s.courtId)?.get(s.seq);
      if (stored === s.hash) return;
      if (!verifier.verify(entry.text, entry.sig)) return findings.add(where, `its signature does not verify with key ${verifier.keyId}: written without the key`);
      if (stored !== undefined) return findings.add(name(s.courtId, s.seq), `differs from the event the head log recorded (${where}): the chain was rewritten`);
      const seen = expected[s.courtId];
      if (!seen || s.seq > seen.seq) expected[s.courtId] = { seq: s.seq, hash: s.hash, source: `the head log (${where})` };
    },
    (where, problem) => findings.add(where, problem),
  );
}

type ReviewRow = {
  id: string;
  court_id: string;
  call_id: string;
  week: string;
  status: string;
  form_id: string | null;
  reviewer_id: string | null;
  operator_id: string;
  points: Record<string, number> | null;
  fatal_failed: string[] | null;
  score: string | number | null;
  fatal: boolean | null;
  appealed: boolean;
  locked: boolean;
  answered_by: string | null;
  call_court: string | null;
  arrived_at: Date | string | null;
};

/**
 * What a review's events say it is now (the state the routes wrote beside each event). Its call and week are
 * undefined when no scored event names them (scored before the events carried them): then they are not compared.
 */
function replay(events: EventRow[]) {
  const s = { status: 'sampled', callId: undefined as unknown, week: undefined as unknown, formId: null as unknown, reviewerId: null as unknown, points: null as unknown, fatalFailed: null as unknown, score: null as unknown, fatal: null as unknown, appealed: false, locked: false };
  for (const e of events) {
    const d = e.data;
    if (e.kind === 'scored') {
      Object.assign(s, { status: 'scored', formId: d.formId, reviewerId: e.actor_id, points: d.points, fatalFailed: d.fatalFailed, score: d.score, fatal: d.fatal });
      if ('callId' in d) Object.assign(s, { callId: d.callId, week: d.week });
    } else if (e.kind === 'appealed') Object.assign(s, { status: 'appealed', appealed: true });
    else if (e.kind === 'accepted') Object.assign(s, { status: 'accepted', locked: true });
    else if (e.kind === 'decided') {
      Object.assign(s, { status: 'decided', locked: true });
      if (d.outcome === 'revised') Object.assign(s, { points: d.points, fatalFailed: d.fatalFailed, score: d.score, fatal: d.fatal });
    }
  }
  return s;
}

/**
 * The review rows behind the QA figures against their sealed events. A sampled review with no event has nothing
 * to hold it to (the sample is reproducible from the week's seed instead, docs/quality.md); every other row must be
 * what its events say (its call and week too, when they name them), belong to the operator who answered its call
 * (the call records are sealed too), and be counted in the week that call arrived: the figures group by `week`.
 */
async function checkReviews(db: Db, byReview: Map<string, EventRow[]>, findings: Findings, onlyCourt?: string): Promise<number> {
  const only = onlyCourt === undefined ? sql`` : sql` and r.court_id = ${onlyCourt}`;
  const { rows } = await db.execute<ReviewRow>(sql`
    select r.id::text, r.court_id::text, r.call_id::text, r.week::text, r.status, r.form_id::text, r.reviewer_id::text, r.operator_id::text, r.points, r.fatal_failed, r.score, r.fatal,
      r.appealed_at is not null as appealed, r.locked_at is not null as locked, c.answered_by::text, c.court_id::text as call_court, c.arrived_at
    from telephony.quality_reviews r left join telephony.calls c on c.id = r.call_id and c.arrived_at = r.call_arrived_at
    where (r.status <> 'sampled' or r.locked_at is not null or r.score is not null or r.appealed_at is not null or exists (select 1 from telephony.quality_events e where e.review_id = r.id))${only}`);
  const present = new Set<string>();
  for (const r of rows) {
    present.add(r.id);
    const record = `telephony.quality_reviews id ${r.id}`;
    const events = byReview.get(r.id);
    if (!events) {
      findings.add(record, `is ${r.status}${r.score === null ? '' : ` with score ${Number(r.score)}`} but no sealed event says so: written without the trail`);
      continue;
    }
    if (events.some((e) => e.court_id !== r.court_id)) findings.add(record, "its events are in another court's chain: its court was changed");
    const want = replay(events);
    const have = { status: r.status, callId: r.call_id, week: r.week, formId: r.form_id, reviewerId: r.reviewer_id, points: r.points, fatalFailed: r.fatal_failed, score: r.score === null ? null : Number(r.score), fatal: r.fatal, appealed: r.appealed, locked: r.locked };
    const unnamed = (k: keyof typeof want) => (k === 'callId' || k === 'week') && want[k] === undefined;
    const differs = (Object.keys(want) as Array<keyof typeof want>).filter((k) => !unnamed(k) && canonicalJson({ v: want[k] ?? null }) !== canonicalJson({ v: have[k] ?? null }));
    if (differs.length > 0) findings.add(record, `its ${differs.join(', ')} ${differs.length === 1 ? 'differs' : 'differ'} from its sealed events (${differs.map((k) => `${JSON.stringify(have[k])} where the events say ${JSON.stringify(want[k])}`).join('; ')}): edited`);
    if (r.answered_by !== r.operator_id || r.call_court !== r.court_id) findings.add(record, `its operator or court is not the one who answered its call (${r.answered_by ?? 'no such call'}): edited`);
    const arrived = r.arrived_at === null ? null : weekOf(new Date(r.arrived_at));
    if (arrived !== null && arrived !== r.week) findings.add(record, `its week ${r.week} is not the week its call arrived (${arrived}): edited`);
  }
  for (const [id, events] of byReview) {
    if (!present.has(id)) findings.add(`telephony.quality_reviews id ${id}`, `the review is gone but its sealed events remain (court ${events[0]!.court_id}, events #${events.map((e) => Number(e.seq)).join(', #')}): deleted`);
  }
  return rows.length;
}

/** One court's problems, as lines (the quality tests' short form of the check above). */
export async function verifyQualityChain(db: Db, verifier: SealVerifier, courtId: string): Promise<string[]> {
  const findings = new Findings();
  await verifyQualityTrail(db, verifier, {}, findings, null, courtId);
  return findings.list.map((f) => `${f.record}: ${f.problem}`);
}
