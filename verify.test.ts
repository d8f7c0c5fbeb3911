import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from './platform/db/client.ts';
import { repoRoot } from './platform/db/migration-sets.ts';
import { canonical, merkleRoot, sha256 } from './platform/seals/canonical.ts';
import { generateKeyFile, SealSigner } from './platform/seals/keys.ts';
import { Seals } from './platform/seals/seals.ts';
import type { JournalRecord } from './telephony/records/records.ts';
import { writeRecords } from './telephony/records/repository.ts';
import { callHeads, CallSealer, callSealText, leaves } from './telephony/records/seal.ts';
import { packLeaves, unpackLeaves, type StoredLeaves } from './telephony/records/seal-pack.ts';
import { genesisHash, hashEvent, type JsonObject } from './tickets/audit.ts';
import { ticketHeads, ticketSealText } from './tickets/audit-seal.ts';
import { seedCourt, useTicketsDatabase, useTicketsRuntime } from './tickets/testing/harness.ts';
import { verifyAll } from './verify.ts';
import { generateKeyPairSync } from 'node:crypto';

// The insider: full access to the database, not to the seal key (which lives in a directory of the test's own).
const dir = mkdtempSync(join(tmpdir(), 'seals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyFile = join(dir, 'seal-key.pem');
const signer = generateKeyFile(keyFile);
const checkpointFile = join(dir, 'checkpoints.jsonl');
const seals = new Seals(signer, checkpointFile);
seals.addHeads('tickets', ticketHeads);
seals.addHeads('calls', callHeads);

const database = await useTicketsDatabase();
const db = database.db;
const court = await seedCourt(database);
const { runtime } = await useTicketsRuntime(database, { seals, start: { relay: false, workers: false } });
const service = runtime.service;

const t1 = await service.create(court.operator, { summary: '查询立案进度', callerNumber: '13300000001' });
await service.edit(court.operator, t1.id, { details: '补充说明' });
const t2 = await service.create(court.operator, { summary: '投诉', callerNumber: '13300000002' });
await service.handOff(court.operator, t2.id, { handlerDepartmentId: court.civil });

function callBatch(callId: string, at: number): JournalRecord[] {
  const courtId = court.courtId;
  return [
    { kind: 'call_started', id: callId, courtId, channelId: `ch-${callId}`, callerNumber: '13800000000', dialled: '12368', arrivedAt: at },
    { kind: 'call_event', id: randomUUID(), callId, courtId, at: at + 1, seq: 1, event: 'arrived', operatorId: null, data: {} },
    { kind: 'call_event', id: randomUUID(), callId, courtId, at: at + 2, seq: 2, event: 'hangup', operatorId: null, data: { by: 'caller' } },
    {
      kind: 'transfer_leg', callId, seq: 1, courtId, mode: 'blind', targetKind: 'department', targetUserId: null, targetDepartmentId: court.civil, targetLabel: '民事审判庭',
      dial: 'PJSIP/8001', requestedBy: court.operator.userId, caseNumber: null, startedAt: at + 1, answeredAt: null, endedAt: at + 2, outcome: 'no_answer',
    },
    {
      kind: 'call_closed', callId, arrivedAt: at, endedAt: at + 2,
      summary: { outcome: 'abandoned_in_queue', hangupBy: 'caller', inHours: true, skill: 'general', queuedAt: at + 1, answeredAt: null, answeredBy: null },
    },
  ];
}
const sealer = new CallSealer(signer);
const base = Date.parse('2026-11-02T02:00:00Z');
const callIds = [randomUUID(), randomUUID(), randomUUID()];
const batches = callIds.map((id, i) => callBatch(id, base + i * 60_000));
for (const batch of batches) await writeRecords(db, batch, sealer);
// A batch written twice (a retry, a replay) lands once and is sealed once.
await writeRecords(db, batches[2]!, sealer);
// An outbound leg of a callback (the attempts table behind the callback figures).
const outboundLeg: JournalRecord = {
  kind: 'outbound_leg', id: randomUUID(), outboundId: randomUUID(), courtId: court.courtId, attempt: 1, leg: 'caller', channelId: 'ch-out', operatorId: court.operator.userId,
  outcome: 'answered', startedAt: base + 300_000, answeredAt: base + 305_000, endedAt: base + 360_000, detail: null,
};
await writeRecords(db, [outboundLeg], sealer);
await seals.checkpoint(db, 'test');

/** Runs a move in a transaction, verifies inside it, and rolls it back: each test starts from the sealed state. */
async function tamper(move: (tx: Db) => Promise<void>): Promise<Array<{ record: string; problem: string }>> {
  let found: Array<{ record: string; problem: string }> = [];
  const rollback = new Error('rollback');
  await db
    .transaction(async (tx) => {
      await move(tx as unknown as Db);
      found = (await verifyAll(tx as unknown as Db, signer.verifier, checkpointFile)).findings.list;
      throw rollback;
    })
    .catch((err) => {
      if (err !== rollback) throw err;
    });
  return found;
}
const text = (found: Array<{ record: string; problem: string }>) => found.map((f) => `${f.record}: ${f.problem}`).join('\n');

describe('npm run verify against an insider without the seal key', () => {
  it('an untouched database verifies clean; a batch written twice has one seal', async () => {
    const report = await verifyAll(db, signer.verifier, checkpointFile);
    expect(text(report.findings.list)).toBe('');
    expect(report.lines.join('\n')).toMatch(/audit chain intact: 4 events in 1 court chain/);
    const { rows } = await db.execute<{ n: number }>(sql`select count(*)::int as n from telephony.record_seals`);
    expect(rows[0]!.n).toBe(4);
  });

  it('an edited row is named: a call close, a transfer leg, a ticket event', async () => {
    const call = callIds[1]!;
    expect(text(await tamper((tx) => tx.execute(sql`update telephony.calls set outcome = 'answered', answered_at = ended_at where id = ${call}`).then(() => undefined))))
      .toMatch(new RegExp(`telephony.calls id ${call}: this close differs from its sealed record: edited`));
    expect(text(await tamper((tx) => tx.execute(sql`update telephony.transfer_legs set outcome = 'answered' where call_id = ${call}`).then(() => undefined))))
      .toMatch(new RegExp(`telephony.transfer_legs call ${call} leg 1: .*edited`));
    expect(text(await tamper((tx) => tx.execute(sql`update tickets.ticket_events set reason = '改过' where court_id = ${court.courtId} and seq = 2`).then(() => undefined))))
      .toMatch(new RegExp(`court ${court.courtId}, event #2 .*edited`));
  });

  it('a deleted row is named: a call event, an outbound attempt, a ticket event', async () => {
    const { rows } = await db.execute<{ id: string }>(sql`select id::text from telephony.call_events where call_id = ${callIds[0]!} and seq = 2`);
    const eventId = rows[0]!.id;
    expect(text(await tamper((tx) => tx.execute(sql`delete from telephony.call_events where id = ${eventId}`).then(() => undefined))))
      .toMatch(new RegExp(`telephony.call_events id ${eventId}: a seal holds this record but its row is gone: deleted`));
    expect(text(await tamper((tx) => tx.execute(sql`delete from telephony.outbound_attempts`).then(() => undefined))))
      .toMatch(new RegExp(`telephony.outbound_attempts id ${(outboundLeg as { id: string }).id}: .*deleted`));
    expect(text(await tamper((tx) => tx.execute(sql`delete from tickets.ticket_events where court_id = ${court.courtId} and seq = 2`).then(() => undefined))))
      .toMatch(new RegExp(`court ${court.courtId}, event #2: is missing`));
  });

  it('a cut tail is found against the checkpoint file', async () => {
    const found = await tamper(async (tx) => {
      await tx.execute(sql`delete from tickets.ticket_events where court_id = ${court.courtId} and seq >= 3`);
      // The last call batch and its seal, gone together.
      await tx.execute(sql`delete from telephony.outbound_attempts`);
      await tx.execute(sql`delete from telephony.record_seals where seq = (select max(seq) from telephony.record_seals)`);
    });
    expect(text(found)).toMatch(new RegExp(`court ${court.courtId}, event #3: the chain ends at #2 but the checkpoint had it through #4: its tail was cut`));
    expect(text(found)).toMatch(/telephony.record_seals chain .* the chain ends at #3 but the checkpoint had it through #4: its tail was cut/);
  });

  it("a court's whole chain deleted is found against the checkpoint file", async () => {
    const found = await tamper(async (tx) => {
      await tx.execute(sql`delete from tickets.ticket_events where court_id = ${court.courtId}`);
      for (const table of ['call_events', 'transfer_legs', 'calls', 'outbound_attempts', 'record_seals']) await tx.execute(sql.raw(`delete from telephony.${table}`));
    });
    expect(text(found)).toMatch(new RegExp(`tickets.ticket_events court ${court.courtId}: the court's whole chain is missing`));
    expect(text(found)).toMatch(new RegExp(`telephony.record_seals chain [0-9a-f-]+/${court.courtId}: the whole chain is missing`));
  });

  it('rows inserted between checkpoints, hashed with the project code but without the key, are named', async () => {
    const extra = randomUUID();
    const found = await tamper(async (tx) => {
      await tx.execute(sql`insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, outcome, hangup_by, ended_at, in_hours, skill, queued_at, answered_at, answered_by)
        values (${extra}, ${court.courtId}, 'ch-x', '13900000000', '12368', now(), 'answered', 'caller', now(), true, 'general', now(), now(), ${court.operator.userId})`);
      const { rows } = await tx.execute<{ seq: number; hash: string }>(sql`select seq::int, hash from tickets.ticket_events where court_id = ${court.courtId} order by seq desc limit 1`);
      const head = rows[0]!;
      const event = { courtId: court.courtId, seq: head.seq + 1, ticketId: t1.id, action: 'close', actorId: court.operator.userId, actorRole: 'operator', at: new Date().toISOString(), before: {}, after: { stage: 'closed' }, reason: null };
      await tx.execute(sql`insert into tickets.ticket_events (court_id, seq, ticket_id, action, actor_id, actor_role, at, before, after, reason, prev_hash, hash)
        values (${court.courtId}, ${event.seq}, ${t1.id}, 'close', ${court.operator.userId}, 'operator', ${event.at}, '{}'::jsonb, '{"stage":"closed"}'::jsonb, null, ${head.hash}, ${hashEvent(head.hash, event)})`);
    });
    expect(text(found)).toMatch(new RegExp(`telephony.calls id ${extra}: no seal holds this row: written without the key`));
    expect(text(found)).toMatch(new RegExp(`court ${court.courtId}, event #5: events #5..#5 are covered by no seal: written without the key`));
  });

  it('a chain rewritten and re-sealed with a key of its own is named', async () => {
    const forger = new SealSigner(generateKeyPairSync('ed25519').privateKey);
    const call = callIds[0]!;
    const found = await tamper(async (tx) => {
      // Tickets: event #2 rewritten, the chain re-hashed from there and every seal re-signed.
      const { rows } = await tx.execute<Record<string, unknown>>(sql`select * from tickets.ticket_events where court_id = ${court.courtId} order by seq`);
      let prev = genesisHash;
      for (const r of rows) {
        const seq = Number(r.seq);
        const after = seq === 2 ? { details: '改写' } : (r.after as JsonObject);
        const event = { courtId: court.courtId, seq, ticketId: r.ticket_id as string, action: r.action as string, actorId: r.actor_id as string, actorRole: r.actor_role as string, at: new Date(r.at as string).toISOString(), before: r.before as JsonObject, after, reason: (r.reason as string | null) ?? null };
        const hash = hashEvent(prev, event);
        const seal = r.seal === null ? null : forger.sign(ticketSealText(court.courtId, Number(r.seal_from), seq, hash));
        await tx.execute(sql`update tickets.ticket_events set after = ${JSON.stringify(after)}::jsonb, prev_hash = ${prev}, hash = ${hash}, seal = ${seal} where id = ${r.id as number}`);
        prev = hash;
      }
      // Calls: a call made answered, its leaf, root, hash and signature redone.
      await tx.execute(sql`update telephony.calls set outcome = 'answered', answered_at = ended_at where id = ${call}`);
      const { rows: c } = await tx.execute<Record<string, unknown>>(sql`select * from telephony.calls where id = ${call}`);
      const row = c[0]!;
      const iso = (v: unknown) => (v === null ? null : new Date(v as string).toISOString());
      const closeHash = leaves.close({ callId: call, outcome: 'answered', hangupBy: row.hangup_by as string, endedAt: iso(row.ended_at), inHours: row.in_hours as boolean, skill: row.skill as string, queuedAt: iso(row.queued_at), answeredAt: iso(row.answered_at), answeredBy: null });
      const { rows: all } = await tx.execute<{ stream: string; court_id: string; seq: number; prev: string; leaves: StoredLeaves }>(sql`select stream::text, court_id::text, seq, prev, leaves from telephony.record_seals`);
      const seal = all.find((r) => unpackLeaves(r.leaves).some(([k]) => k === `close:${call}`))!;
      const list = unpackLeaves(seal.leaves).map(([k, h]) => [k, k === `close:${call}` ? closeHash : h] as [string, string]);
      const root = merkleRoot(list.map((l) => l[1]));
      const signed = callSealText({ stream: seal.stream, courtId: seal.court_id, seq: seal.seq, prev: seal.prev, root, count: list.length });
      const packed = packLeaves(list.map(([key, hash]) => ({ key, hash })));
      await tx.execute(sql`update telephony.record_seals set leaves = ${JSON.stringify(packed)}::jsonb, root = ${root}, hash = ${sha256(signed)}, seal = ${forger.sign(signed)} where stream = ${seal.stream} and seq = ${seal.seq}`);
    });
    expect(text(found)).toMatch(new RegExp(`court ${court.courtId}, event #\\d .*its seal does not verify with key ${signer.keyId}: sealed without the key`));
    expect(text(found)).toMatch(/telephony.record_seals chain .* seal #1: its signature does not verify .*sealed without the key/);
    // The next seal no longer follows the rewritten one.
    expect(text(found)).toMatch(/seal #2: does not follow the seal before it/);
  });

  it('a checkpoint line edited or written without the key is named', async () => {
    const original = readFileSync(checkpointFile, 'utf8');
    try {
      writeFileSync(checkpointFile, original.replace(/"seq":4/, '"seq":2'));
      expect(text((await verifyAll(db, signer.verifier, checkpointFile)).findings.list)).toMatch(/checkpoints.jsonl line 1: its signature does not verify/);
    } finally {
      writeFileSync(checkpointFile, original);
    }
    expect(canonical({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('npm run verify (and tickets:verify-audit) exits 0 when intact, 1 naming the record after a move', async () => {
    const env = { ...process.env, DATABASE_URL: database.url, HOTLINE_SEAL_KEY_FILE: keyFile, HOTLINE_SEAL_CHECKPOINT_FILE: checkpointFile };
    const run = (script: string) => spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, env, encoding: 'utf8' });
    const intact = run('verify.ts');
    expect(intact.stderr).toBe('');
    expect(intact.status).toBe(0);
    expect(intact.stdout).toContain('call records intact');
    await db.execute(sql`update telephony.calls set answered_by = ${court.operator.userId}, outcome = 'answered' where id = ${callIds[2]!}`);
    const broken = run('tickets/commands/verify-audit.ts');
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`BROKEN telephony.calls id ${callIds[2]!}: this close differs from its sealed record: edited`);
  });
});
