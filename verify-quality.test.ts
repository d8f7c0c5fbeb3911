import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from './platform/db/client.ts';
import { repoRoot } from './platform/db/migration-sets.ts';
import { createLogger } from './platform/logger.ts';
import { genesis } from './platform/seals/canonical.ts';
import { readCheckpoints } from './platform/seals/checkpoints.ts';
import { generateKeyFile, SealSigner } from './platform/seals/keys.ts';
import { Findings } from './platform/seals/problems.ts';
import { databaseName, Seals } from './platform/seals/seals.ts';
import { createForm } from './telephony/quality/forms.ts';
import { qualityReviews } from './telephony/quality/quality.sql.ts';
import { acceptReview, amendReview, appealReview, decideAppeal, scoreReview } from './telephony/quality/reviews.ts';
import { appendQualityEvent, qualityEventHash, qualitySealText, type QualityEvent, type Tx } from './telephony/quality/trail.ts';
import { qualityHeads, verifyQualityTrail } from './telephony/quality/trail-verify.ts';
import { weekOf } from './telephony/quality/week.ts';
import type { JournalRecord } from './telephony/records/records.ts';
import { writeRecords } from './telephony/records/repository.ts';
import { callHeads, CallSealer } from './telephony/records/seal.ts';
import { ticketHeads } from './tickets/audit-seal.ts';
import { seedCourt, useTicketsDatabase } from './tickets/testing/harness.ts';
import { verifyAll } from './verify.ts';

// The insider against the quality review trail (录音质检): full access to the database, not to the seal key. The
// QA figures are counted from `quality_reviews`; each change of a review is a sealed event of the court's chain.
const dir = mkdtempSync(join(tmpdir(), 'seals-quality-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyFile = join(dir, 'seal-key.pem');
const signer = generateKeyFile(keyFile);
const checkpointFile = join(dir, 'checkpoints.jsonl');
const seals = new Seals(signer, checkpointFile);
seals.addHeads('tickets', ticketHeads);
seals.addHeads('calls', callHeads);
seals.addHeads('quality', qualityHeads);

const database = await useTicketsDatabase();
const db = database.db;
const headLog = seals.openHeadLog(await databaseName(db), createLogger({ level: 'silent', pretty: false }));
const court = await seedCourt(database, 'J0871');

// Three calls the operator answered (sealed call records), each sampled for review, and one of the next week not sampled.
const base = Date.parse('2026-11-03T02:00:00Z');
const sealer = new CallSealer(signer, headLog);
const answeredCall = async (at: number) => {
  const id = randomUUID();
  const batch: JournalRecord[] = [
    { kind: 'call_started', id, courtId: court.courtId, channelId: `ch-${id}`, callerNumber: '13800000000', dialled: '12368', arrivedAt: at },
    {
      kind: 'call_closed', callId: id, arrivedAt: at, endedAt: at + 120_000,
      summary: { outcome: 'answered', hangupBy: 'caller', inHours: true, skill: 'general', queuedAt: at + 1000, answeredAt: at + 5000, answeredBy: court.operator.userId },
    },
  ];
  await writeRecords(db, batch, sealer);
  return id;
};
const reviewIds: string[] = [];
for (let i = 0; i < 3; i++) {
  const at = base + i * 600_000;
  const id = await answeredCall(at);
  const [row] = await db.insert(qualityReviews).values({ courtId: court.courtId, callId: id, callArrivedAt: new Date(at), operatorId: court.operator.userId, week: weekOf(new Date(at)), reasons: ['random'] }).returning();
  reviewIds.push(row!.id);
}
const [accepted, revised, open] = reviewIds as [string, string, string];
const nextWeekAt = base + 7 * 86_400_000;
const nextWeekCall = await answeredCall(nextWeekAt);
const [week, nextWeek] = [weekOf(new Date(base)), weekOf(new Date(nextWeekAt))];
const form = await createForm(db, court.manager, { name: '通用评分表', items: [
  { key: 'accuracy', label: '答复准确', weight: 70, fatal: false },
  { key: 'attitude', label: '服务态度', weight: 30, fatal: false },
  { key: 'rude', label: '态度粗暴', weight: 0, fatal: true },
] });
const score = (points: Record<string, number>, fatalFailed: string[] = []) => ({ formId: form.id, points, fatalFailed, comment: '' });
// Events #1..#5, then the hourly checkpoint, then #6 (in the head log only).
await scoreReview(db, seals, court.head, accepted, score({ accuracy: 60, attitude: 30 }));
await acceptReview(db, seals, court.operator, accepted);
await scoreReview(db, seals, court.head, revised, score({ accuracy: 70, attitude: 30 }, ['rude']));
await appealReview(db, seals, court.operator, revised, '没有粗暴用语，请复听');
await decideAppeal(db, seals, court.manager, revised, { outcome: 'revised', comment: '复听后无粗暴用语', points: { accuracy: 50, attitude: 20 }, fatalFailed: [] });
await seals.checkpoint(db, 'hourly');
await amendReview(db, seals, court.manager, accepted, '复核：评分无误');
await headLog.flush();

async function tamper(move: (tx: Db) => Promise<void>, check = (tx: Db) => verifyAll(tx, signer.verifier, checkpointFile).then((r) => r.findings.list)): Promise<string> {
  let found = '';
  const rollback = new Error('rollback');
  await db
    .transaction(async (tx) => {
      await move(tx as unknown as Db);
      found = (await check(tx as unknown as Db)).map((f) => `${f.record}: ${f.problem}`).join('\n');
      throw rollback;
    })
    .catch((err) => {
      if (err !== rollback) throw err;
    });
  return found;
}
/** The check against the checkpoint file alone (no head log), as verify did before a head log existed. */
const checkpointOnly = async (tx: Db) => {
  const cps = readCheckpoints(checkpointFile, signer.verifier, await databaseName(tx));
  const findings = new Findings();
  await verifyQualityTrail(tx, signer.verifier, cps.ok ? (cps.heads.quality ?? {}) : {}, findings);
  return findings.list;
};
const chain = `telephony.quality_events court ${court.courtId}`;
type Row = { seq: number; review_id: string; kind: QualityEvent['kind']; actor_id: string; at: Date; data: Record<string, unknown>; hash: string };
const events = async (tx: Db) => (await tx.execute<Row>(sql`select seq::int, review_id::text, kind, actor_id::text, at, data, hash from telephony.quality_events where court_id = ${court.courtId} order by seq`)).rows;
/** Writes event rows from `from` on as the project code would, sealing each with `key` (the insider's own). */
async function rewrite(tx: Db, rows: Row[], key: SealSigner, from: number): Promise<void> {
  let prev = rows.find((r) => r.seq === from - 1)?.hash ?? genesis;
  for (const r of rows.filter((r) => r.seq >= from)) {
    const e: QualityEvent = { courtId: court.courtId, seq: r.seq, reviewId: r.review_id, kind: r.kind, actorId: r.actor_id, at: new Date(r.at).toISOString(), data: r.data };
    const hash = qualityEventHash(prev, e);
    await tx.execute(sql`insert into telephony.quality_events (court_id, seq, review_id, kind, actor_id, at, data, prev, hash, seal)
      values (${court.courtId}, ${r.seq}, ${r.review_id}, ${r.kind}, ${r.actor_id}, ${e.at}, ${JSON.stringify(r.data)}::jsonb, ${prev}, ${hash}, ${key.sign(qualitySealText(court.courtId, r.seq, hash))})
      on conflict (court_id, seq) do update set data = excluded.data, prev = excluded.prev, hash = excluded.hash, seal = excluded.seal`);
    prev = hash;
  }
}

describe('npm run verify against an insider on the quality review trail', () => {
  it('untouched: clean; the checkpoint holds the quality chain head and the head log each event', async () => {
    const report = await verifyAll(db, signer.verifier, checkpointFile);
    expect(report.findings.list).toEqual([]);
    expect(report.lines.join('\n')).toContain('quality review trail intact: 6 events in 1 court chain(s), 2 review(s) held to them');
    const cps = readCheckpoints(checkpointFile, signer.verifier, await databaseName(db));
    expect(cps.ok && cps.heads.quality?.[court.courtId]?.seq).toBe(5);
    const logged = readFileSync(headLog.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { d: string });
    expect(logged.filter((l) => l.d === 'quality')).toHaveLength(6);
  });

  it('an edited row is named: an event, and a review row the figures count (score, status)', async () => {
    expect(await tamper((tx) => tx.execute(sql`update telephony.quality_events set data = jsonb_set(data, '{score}', '100') where court_id = ${court.courtId} and seq = 1`).then(() => undefined)))
      .toMatch(new RegExp(`${chain}, event #1 \\(review ${accepted}\\): its content does not match its hash: the event was edited`));
    const padded = await tamper((tx) => tx.execute(sql`update telephony.quality_reviews set score = 100 where id = ${revised}`).then(() => undefined));
    expect(padded).toContain(`telephony.quality_reviews id ${revised}: its score differs from its sealed events (100 where the events say 70): edited`);
    // A low score taken out of the figures by setting the review back to sampled.
    const hidden = await tamper((tx) => tx.execute(sql`update telephony.quality_reviews set status = 'sampled', score = null, fatal = null where id = ${accepted}`).then(() => undefined));
    expect(hidden).toMatch(new RegExp(`telephony.quality_reviews id ${accepted}: its status, score, fatal differ from its sealed events`));
    // Another operator's figures: the review moved to them.
    expect(await tamper((tx) => tx.execute(sql`update telephony.quality_reviews set operator_id = ${court.operator2.userId} where id = ${revised}`).then(() => undefined)))
      .toContain(`telephony.quality_reviews id ${revised}: its operator or court is not the one who answered its call`);
  });

  it('a review moved to another week is named: against the week its scored event sealed, and the week its call arrived', async () => {
    expect(week).toBe('2026-11-02');
    const moved = await tamper((tx) => tx.execute(sql`update telephony.quality_reviews set week = ${nextWeek} where id = ${revised}`).then(() => undefined));
    expect(moved).toContain(`telephony.quality_reviews id ${revised}: its week differs from its sealed events ("${nextWeek}" where the events say "${week}"): edited`);
    expect(moved).toContain(`telephony.quality_reviews id ${revised}: its week ${nextWeek} is not the week its call arrived (${week}): edited`);
    // A review scored before the scored event named its call and week (sealed with the key, as that code wrote it):
    // only the week its call arrived holds it, and does.
    const legacy = await tamper(async (tx) => {
      const data = { formId: form.id, points: { accuracy: 40, attitude: 10 }, fatalFailed: [], score: 50, fatal: false, comment: '' };
      await appendQualityEvent(tx as unknown as Tx, seals, { courtId: court.courtId, reviewId: open, kind: 'scored', actorId: court.head.userId, at: new Date(), data });
      await tx.execute(sql`update telephony.quality_reviews set status = 'scored', form_id = ${form.id}, reviewer_id = ${court.head.userId}, points = ${JSON.stringify(data.points)}::jsonb,
        fatal_failed = '{}', score = 50, fatal = false, week = ${nextWeek} where id = ${open}`);
    });
    expect(legacy.split('\n')).toEqual([`telephony.quality_reviews id ${open}: its week ${nextWeek} is not the week its call arrived (${week}): edited`]);
  });

  it("a review pointed at another call of the same operator (and that call's week) is named against the call its scored event sealed", async () => {
    const moved = await tamper((tx) =>
      tx.execute(sql`update telephony.quality_reviews set call_id = ${nextWeekCall}, call_arrived_at = ${new Date(nextWeekAt).toISOString()}, week = ${nextWeek} where id = ${accepted}`).then(() => undefined),
    );
    const [row] = (await db.execute<{ call_id: string }>(sql`select call_id::text from telephony.quality_reviews where id = ${accepted}`)).rows;
    expect(moved.split('\n')).toEqual([
      `telephony.quality_reviews id ${accepted}: its callId, week differ from its sealed events ("${nextWeekCall}" where the events say "${row!.call_id}"; "${nextWeek}" where the events say "${week}"): edited`,
    ]);
  });

  it('a deleted row is named: an event, a scored review, and a scored review made without any event', async () => {
    expect(await tamper((tx) => tx.execute(sql`delete from telephony.quality_events where court_id = ${court.courtId} and seq = 3`).then(() => undefined)))
      .toMatch(new RegExp(`${chain}, event #3: is missing \\(the next is #4\\): deleted`));
    expect(await tamper((tx) => tx.execute(sql`delete from telephony.quality_reviews where id = ${revised}`).then(() => undefined)))
      .toContain(`telephony.quality_reviews id ${revised}: the review is gone but its sealed events remain (court ${court.courtId}, events #3, #4, #5): deleted`);
    expect(await tamper((tx) => tx.execute(sql`update telephony.quality_reviews set status = 'scored', score = 100, fatal = false where id = ${open}`).then(() => undefined)))
      .toContain(`telephony.quality_reviews id ${open}: is scored with score 100 but no sealed event says so: written without the trail`);
  });

  it('a cut tail is found against the checkpoint file, and past it against the head log', async () => {
    const cut = (tx: Db) => tx.execute(sql`delete from telephony.quality_events where court_id = ${court.courtId} and seq >= 4`).then(() => undefined);
    expect(await tamper(cut, checkpointOnly)).toMatch(new RegExp(`${chain}, event #4: the chain ends at #3 but the checkpoint had it through #5: its tail was cut`));
    expect(await tamper(cut)).toMatch(new RegExp(`${chain}, event #4: the chain ends at #3 but the head log \\(.*\\) had it through #6: its tail was cut`));
    // Only the event written since the checkpoint: the head log alone knows it.
    expect(await tamper((tx) => tx.execute(sql`delete from telephony.quality_events where court_id = ${court.courtId} and seq = 6`).then(() => undefined)))
      .toMatch(new RegExp(`${chain}, event #6: the chain ends at #5 but the head log \\(.*\\) had it through #6: its tail was cut`));
  });

  it("a court's whole quality chain deleted is found against the checkpoint file and the head log", async () => {
    const all = async (tx: Db) => {
      await tx.execute(sql`delete from telephony.quality_events where court_id = ${court.courtId}`);
      await tx.execute(sql`delete from telephony.quality_reviews where court_id = ${court.courtId}`);
    };
    expect(await tamper(all, checkpointOnly)).toContain(`${chain}: the court's whole quality chain is missing (the checkpoint had it through event #5): deleted`);
    expect(await tamper(all)).toMatch(new RegExp(`${chain}: the court's whole quality chain is missing \\(the head log \\(.*\\) had it through event #6\\): deleted`));
  });

  it('rows inserted between checkpoints, hashed with the project code but without the key, are named', async () => {
    const forger = new SealSigner(generateKeyPairSync('ed25519').privateKey);
    // The insider re-scores the open review at 100: the review row and an event to match, sealed with a key of their own.
    const found = await tamper(async (tx) => {
      await tx.execute(sql`update telephony.quality_reviews set status = 'scored', form_id = ${form.id}, reviewer_id = ${court.head.userId}, points = '{"accuracy":70,"attitude":30}'::jsonb, fatal_failed = '{}', score = 100, fatal = false where id = ${open}`);
      const rows = await events(tx);
      await rewrite(tx, [...rows, { seq: 7, review_id: open, kind: 'scored', actor_id: court.head.userId, at: new Date(), data: { formId: form.id, points: { accuracy: 70, attitude: 30 }, fatalFailed: [], score: 100, fatal: false, comment: '' }, hash: '' }], forger, 7);
    });
    expect(found).toMatch(new RegExp(`${chain}, event #7 \\(review ${open}\\): its seal does not verify with key ${signer.keyId}: written or re-sealed without the key`));
    // The review row agrees with the forged event, so only the seal gives it away.
    expect(found).not.toContain(`quality_reviews id ${open}`);
    expect(found.split('\n')).toHaveLength(1);
  });

  it('a chain rewritten and re-sealed with a key of the insider is named, against the checkpoint and the head log', async () => {
    const forger = new SealSigner(generateKeyPairSync('ed25519').privateKey);
    const found = await tamper(async (tx) => {
      // Event #3's fatal error erased from the record, the chain from #3 on re-hashed and re-signed.
      const rows = await events(tx);
      const third = rows.find((r) => r.seq === 3)!;
      third.data = { ...third.data, fatalFailed: [], score: 100, fatal: false };
      await rewrite(tx, rows, forger, 3);
    });
    for (const seq of [3, 4, 5, 6]) expect(found).toMatch(new RegExp(`${chain}, event #${seq} \\(review .*\\): its seal does not verify with key ${signer.keyId}: written or re-sealed without the key`));
    expect(found).toMatch(new RegExp(`${chain}, event #5 \\(review ${revised}\\): differs from the head the checkpoint had at #5: the chain was rewritten`));
    expect(found).toMatch(new RegExp(`${chain}, event #3: differs from the event the head log recorded \\(.*\\): the chain was rewritten`));
  });

  it('npm run verify exits 1 naming the quality record after a move, 0 when intact', async () => {
    const env = { ...process.env, DATABASE_URL: database.url, HOTLINE_SEAL_KEY_FILE: keyFile, HOTLINE_SEAL_CHECKPOINT_FILE: checkpointFile };
    const run = () => spawnSync(process.execPath, ['--import', 'tsx', 'verify.ts'], { cwd: repoRoot, env, encoding: 'utf8' });
    const intact = run();
    expect(intact.stderr).toBe('');
    expect(intact.status).toBe(0);
    expect(intact.stdout).toContain('quality review trail intact: 6 events in 1 court chain(s)');
    await db.execute(sql`update telephony.quality_reviews set score = 95 where id = ${accepted}`);
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`BROKEN telephony.quality_reviews id ${accepted}: its score differs from its sealed events (95 where the events say 90): edited`);
  });
});
