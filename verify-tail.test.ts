import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from './platform/db/client.ts';
import { repoRoot } from './platform/db/migration-sets.ts';
import { createLogger } from './platform/logger.ts';
import { merkleRoot, sha256 } from './platform/seals/canonical.ts';
import { headLogDir } from './platform/seals/head-log.ts';
import { generateKeyFile, SealSigner } from './platform/seals/keys.ts';
import { databaseName, Seals } from './platform/seals/seals.ts';
import type { JournalRecord } from './telephony/records/records.ts';
import { writeRecords } from './telephony/records/repository.ts';
import { callHeads, CallSealer, callSealText, leaves } from './telephony/records/seal.ts';
import { packLeaves } from './telephony/records/seal-pack.ts';
import { ticketHeads } from './tickets/audit-seal.ts';
import { seedCourt, useTicketsDatabase, useTicketsRuntime } from './tickets/testing/harness.ts';
import { verifyAll } from './verify.ts';

// The insider again (full database access, no key), now working on what was written since the last hourly
// checkpoint: each seal also went to this process's head log, outside PostgreSQL, when its records landed.
const dir = mkdtempSync(join(tmpdir(), 'seals-tail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyFile = join(dir, 'seal-key.pem');
const signer = generateKeyFile(keyFile);
const checkpointFile = join(dir, 'checkpoints.jsonl');
const seals = new Seals(signer, checkpointFile);
seals.addHeads('tickets', ticketHeads);
seals.addHeads('calls', callHeads);

const database = await useTicketsDatabase();
const db = database.db;
const headLog = seals.openHeadLog(await databaseName(db), createLogger({ level: 'silent', pretty: false }));
const court = await seedCourt(database);
const { runtime } = await useTicketsRuntime(database, { seals, start: { relay: false, workers: false } });
const service = runtime.service;

function callBatch(callId: string, at: number): JournalRecord[] {
  const courtId = court.courtId;
  return [
    { kind: 'call_started', id: callId, courtId, channelId: `ch-${callId}`, callerNumber: '13800000000', dialled: '12368', arrivedAt: at },
    { kind: 'call_event', id: randomUUID(), callId, courtId, at: at + 1, seq: 1, event: 'arrived', operatorId: null, data: {} },
    { kind: 'call_event', id: randomUUID(), callId, courtId, at: at + 2, seq: 2, event: 'hangup', operatorId: null, data: { by: 'caller' } },
    {
      kind: 'call_closed', callId, arrivedAt: at, endedAt: at + 2,
      summary: { outcome: 'abandoned_in_queue', hangupBy: 'caller', inHours: true, skill: 'general', queuedAt: at + 1, answeredAt: null, answeredBy: null },
    },
  ];
}
const base = Date.parse('2026-11-03T02:00:00Z');
const sealer = new CallSealer(signer, headLog);
const [before, since, last] = [randomUUID(), randomUUID(), randomUUID()];

// Before the checkpoint: two tickets, one call.
const t1 = await service.create(court.operator, { summary: '查询立案进度', callerNumber: '13300000001' });
await service.create(court.operator, { summary: '投诉', callerNumber: '13300000002' });
await writeRecords(db, callBatch(before, base), sealer);
await seals.checkpoint(db, 'hourly');
// Since: two changes to the trail, two calls, and a writer that started after the checkpoint (a restarted controller).
await service.edit(court.operator, t1.id, { details: '补充说明' });
await service.edit(court.operator, t1.id, { details: '再补充' });
await writeRecords(db, callBatch(since, base + 60_000), sealer);
await writeRecords(db, callBatch(last, base + 120_000), sealer);
const restarted = new CallSealer(signer, headLog);
const later = randomUUID();
await writeRecords(db, callBatch(later, base + 180_000), restarted);
await headLog.flush();

async function tamper(move: (tx: Db) => Promise<void>): Promise<string> {
  let found = '';
  const rollback = new Error('rollback');
  await db
    .transaction(async (tx) => {
      await move(tx as unknown as Db);
      found = (await verifyAll(tx as unknown as Db, signer.verifier, checkpointFile)).findings.list.map((f) => `${f.record}: ${f.problem}`).join('\n');
      throw rollback;
    })
    .catch((err) => {
      if (err !== rollback) throw err;
    });
  return found;
}
async function deleteCall(tx: Db, callId: string): Promise<void> {
  for (const table of ['call_events', 'transfer_legs']) await tx.execute(sql`delete from ${sql.raw(`telephony.${table}`)} where call_id = ${callId}`);
  await tx.execute(sql`delete from telephony.calls where id = ${callId}`);
}

describe('npm run verify, on what was written since the last checkpoint', () => {
  it('untouched: clean, every seal in the head log', async () => {
    const report = await verifyAll(db, signer.verifier, checkpointFile);
    expect(report.findings.list).toEqual([]);
    expect(report.lines.join('\n')).toMatch(/1 head log\(s\)/);
    const lines = readFileSync(headLog.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { d: string });
    // Calls: one line per seal (4). Tickets: each change's head after its commit (4), none twice.
    expect(lines.filter((l) => l.d === 'calls')).toHaveLength(4);
    expect(lines.filter((l) => l.d === 'tickets')).toHaveLength(4);
  });

  it('the last call deleted together with its seal: the call is named, and the cut', async () => {
    const found = await tamper(async (tx) => {
      await deleteCall(tx, last);
      await tx.execute(sql`delete from telephony.record_seals where stream = ${sealer.stream} and seq = 3`);
    });
    expect(found).toContain(`telephony.calls id ${last}: deleted together with its seal (chain ${sealer.stream}/${court.courtId} seal #3, recorded in the head log)`);
    expect(found).toMatch(new RegExp(`chain ${sealer.stream}/${court.courtId} seal #3: the chain ends at #2 but the head log had it through #3 .*: its tail was cut`));
  });

  it('the last ticket event deleted (it carries its seal): the cut is named', async () => {
    const found = await tamper(async (tx) => {
      await tx.execute(sql`delete from tickets.ticket_events where court_id = ${court.courtId} and seq = (select max(seq) from tickets.ticket_events where court_id = ${court.courtId})`);
    });
    expect(found).toMatch(new RegExp(`tickets.ticket_events court ${court.courtId}, event #4: the chain ends at #3 but the head log \\(.*\\) had it through #4: its tail was cut`));
  });

  it("a writer's whole chain begun since the checkpoint, deleted with its calls: each call is named", async () => {
    const found = await tamper(async (tx) => {
      await deleteCall(tx, later);
      await tx.execute(sql`delete from telephony.record_seals where stream = ${restarted.stream}`);
    });
    expect(found).toContain(`telephony.calls id ${later}: deleted together with its seal`);
    expect(found).toMatch(new RegExp(`telephony.record_seals chain ${restarted.stream}/${court.courtId}: the whole chain is missing \\(the head log had it through seal #1`));
  });

  it('rows inserted since the checkpoint, under a seal made with a key of the insider: the seal and every row it holds are named', async () => {
    const forger = new SealSigner(generateKeyPairSync('ed25519').privateKey);
    const made = randomUUID();
    const found = await tamper(async (tx) => {
      const at = new Date(base + 240_000).toISOString();
      await tx.execute(sql`insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at) values (${made}, ${court.courtId}, 'ch-made', '13900000000', '12368', ${at})`);
      const leaf = { key: `call:${made}`, hash: leaves.callStart({ id: made, courtId: court.courtId, channelId: 'ch-made', callerNumber: '13900000000', dialled: '12368', arrivedAt: at }) };
      const { rows } = await tx.execute<{ hash: string }>(sql`select hash from telephony.record_seals where stream = ${sealer.stream} and seq = 3`);
      const text = callSealText({ stream: sealer.stream, courtId: court.courtId, seq: 4, prev: rows[0]!.hash, root: merkleRoot([leaf.hash]), count: 1 });
      await tx.execute(sql`insert into telephony.record_seals (stream, court_id, seq, prev, root, leaves, hash, seal)
        values (${sealer.stream}, ${court.courtId}, 4, ${rows[0]!.hash}, ${merkleRoot([leaf.hash])}, ${JSON.stringify(packLeaves([leaf]))}::jsonb, ${sha256(text)}, ${forger.sign(text)})`);
    });
    expect(found).toMatch(new RegExp(`seal #4: its signature does not verify with key ${signer.keyId}: sealed without the key`));
    expect(found).toContain(`telephony.calls id ${made}: no seal holds this row: written without the key`);
  });

  it('a head log deleted, or a line written into it without the key, is named; a last line cut short by a crash is not', async () => {
    const logs = headLogDir(checkpointFile);
    const original = readFileSync(headLog.file, 'utf8');
    try {
      appendFileSync(headLog.file, '{"v":1,"db":"cut sh');
      expect((await verifyAll(db, signer.verifier, checkpointFile)).findings.list).toEqual([]);
      const forged = { v: 1, db: await databaseName(db), d: 'tickets', at: new Date().toISOString(), text: `hotline-seal/tickets/v1\0${court.courtId}\x001\x0099\0${'f'.repeat(64)}`, sig: 'AAAA' };
      writeFileSync(headLog.file, `${original}${JSON.stringify(forged)}\n`);
      expect((await verifyAll(db, signer.verifier, checkpointFile)).findings.list.map((f) => `${f.record}: ${f.problem}`).join('\n')).toMatch(/line 9: its signature does not verify .*written without the key/);
      renameSync(headLog.file, join(dir, 'moved-away.jsonl'));
      expect(readdirSync(logs)).toEqual([]);
      expect((await verifyAll(db, signer.verifier, checkpointFile)).findings.list).toContainEqual({ record: headLog.file, problem: expect.stringMatching(/the head log opened at line 1 of .* is gone: deleted/) });
    } finally {
      writeFileSync(headLog.file, original);
    }
  });

  it('npm run verify exits 1 naming the call deleted with its seal', async () => {
    await db.transaction(async (tx) => {
      await deleteCall(tx as unknown as Db, last);
      await tx.execute(sql`delete from telephony.record_seals where stream = ${sealer.stream} and seq = 3`);
    });
    const env = { ...process.env, DATABASE_URL: database.url, HOTLINE_SEAL_KEY_FILE: keyFile, HOTLINE_SEAL_CHECKPOINT_FILE: checkpointFile };
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'verify.ts'], { cwd: repoRoot, env, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`BROKEN telephony.calls id ${last}: deleted together with its seal`);
  });
});
