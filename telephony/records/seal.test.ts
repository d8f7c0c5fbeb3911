import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../platform/db/client.ts';
import { createLogger } from '../../platform/logger.ts';
import { generateKeyFile } from '../../platform/seals/keys.ts';
import { Findings } from '../../platform/seals/problems.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useTcpProxy } from '../../test/harness/tcp-proxy.ts';
import { CallJournal } from './journal.ts';
import type { JournalRecord } from './records.ts';
import { writeRecords } from './repository.ts';
import { CallSealer } from './seal.ts';
import { verifyCallRecords } from './seal-verify.ts';

const logger = createLogger({ level: 'silent', pretty: false });
const url = new URL(await useTestDatabase());
const proxy = await useTcpProxy(url.hostname, Number(url.port || 5432));
const proxied = new URL(url);
proxied.port = String(proxy.port);
const database: Database = await openDatabase({ url: proxied.toString(), poolSize: 2, dataDir: '', logger });
const direct: Database = await openDatabase({ url: url.toString(), poolSize: 1, dataDir: '', logger });
const dir = mkdtempSync(join(tmpdir(), 'seal-journal-'));
const signer = generateKeyFile(join(dir, 'key.pem'));
afterAll(async () => {
  await database.close().catch(() => undefined);
  await direct.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(at: number, courtId: string | null = null): JournalRecord[] {
  const callId = randomUUID();
  return [
    { kind: 'call_started', id: callId, courtId, channelId: `ch-${callId}`, callerNumber: '13800000000', dialled: '12368', arrivedAt: at },
    { kind: 'call_event', id: randomUUID(), callId, courtId, at: at + 1, seq: 1, event: 'arrived', operatorId: null, data: { note: 'x' } },
    {
      kind: 'call_closed', callId, arrivedAt: at, endedAt: at + 2,
      summary: { outcome: 'abandoned_in_menu', hangupBy: 'caller', inHours: true, skill: null, queuedAt: null, answeredAt: null, answeredBy: null },
      row: { courtId, channelId: `ch-${callId}`, callerNumber: '13800000000', dialled: '12368' },
    },
  ];
}

async function verify() {
  const findings = new Findings();
  const walked = await verifyCallRecords(direct.db, signer.verifier, {}, findings);
  return { problems: findings.list.map((f) => `${f.record}: ${f.problem}`), walked };
}

describe('sealing the journal batches', () => {
  it('seals every record the journal lands through a PostgreSQL cut, each once', async () => {
    const sealer = new CallSealer(signer);
    const journal = new CallJournal({ write: (r) => writeRecords(database.db, r, sealer), dir, logger, retryMs: 50 });
    const at = Date.now();
    for (let i = 0; i < 5; i++) for (const r of call(at + i * 10)) journal.append(r);
    await journal.caughtUp(10_000);
    await proxy.cut();
    for (let i = 5; i < 10; i++) for (const r of call(at + i * 10)) journal.append(r);
    await new Promise((r) => setTimeout(r, 200));
    await proxy.restore();
    await journal.caughtUp(20_000);
    await journal.close();
    const { problems, walked } = await verify();
    expect(problems).toEqual([]);
    expect(walked.rows).toBe(20);
  });

  it('a close that only re-creates its row, and a start whose court a later close gives, verify clean', async () => {
    const sealer = new CallSealer(signer);
    const [started, event, closed] = call(Date.now() - 5000);
    const courtless = { ...(started as Extract<JournalRecord, { kind: 'call_started' }>), courtId: null };
    await writeRecords(database.db, [courtless, event!], sealer);
    // The close carries the court the call's number maps to; the row takes it (it had none).
    const courtId = randomUUID();
    const close = closed as Extract<JournalRecord, { kind: 'call_closed' }>;
    await writeRecords(database.db, [{ ...close, row: { ...close.row!, courtId } }], sealer);
    const { rows } = await direct.db.execute<{ court_id: string }>(sql`select court_id::text from telephony.calls where id = ${close.callId}`);
    expect(rows[0]!.court_id).toBe(courtId);
    const [, , lonely] = call(Date.now() - 4000);
    expect((await writeRecords(database.db, [lonely!], sealer)).repaired).toHaveLength(1);
    expect((await verify()).problems).toEqual([]);
  });

  it('a retry that regrouped its records after a lost reply: the chain follows the stored seal and the new records get a seal of their own', async () => {
    const sealer = new CallSealer(signer);
    const first = call(Date.now() - 3000);
    await writeRecords(database.db, first, sealer);
    // The same writer as it was before that batch's reply (lost): its chain still at the start.
    const before = Object.assign(new CallSealer(signer), { stream: sealer.stream });
    const regrouped = [...first, ...call(Date.now() - 2000)];
    await writeRecords(database.db, regrouped, before);
    const { rows } = await direct.db.execute<{ n: number }>(sql`select count(*)::int as n from telephony.record_seals where stream = ${sealer.stream}`);
    expect(rows[0]!.n).toBe(2);
    expect((await verify()).problems).toEqual([]);
    // And the chain goes on from there.
    await writeRecords(database.db, call(Date.now() - 1000), before);
    expect((await verify()).problems).toEqual([]);
  });

  it("an outbound request's results are sealed as they land; a result edited afterwards is named", async () => {
    const sealer = new CallSealer(signer);
    const id = randomUUID();
    const courtId = randomUUID();
    const requestedAt = new Date(Date.now() - 60_000).toISOString();
    await direct.db.execute(sql`insert into telephony.outbound_requests (id, court_id, purpose, mode, number, requested_by, requested_at, status, updated_at)
      values (${id}, ${courtId}, 'return_visit', 'survey', '13700000000', ${randomUUID()}, ${requestedAt}, 'scheduled', ${requestedAt})`);
    expect((await verify()).problems).toEqual([]);
    const at = Date.now() - 30_000;
    const status = (s: Partial<Extract<JournalRecord, { kind: 'outbound_status' }>>): JournalRecord => ({
      kind: 'outbound_status', outboundId: id, at, status: 'dialling', attempts: 1, nextAttemptAt: null, result: null, satisfaction: null, detail: null, ...s,
    });
    await writeRecords(database.db, [status({})], sealer);
    const leg: JournalRecord = {
      kind: 'outbound_leg', id: randomUUID(), outboundId: id, courtId, attempt: 1, leg: 'caller', channelId: 'ch-o', operatorId: null, outcome: 'answered',
      startedAt: at + 1000, answeredAt: at + 3000, endedAt: at + 20_000, detail: null,
    };
    await writeRecords(database.db, [leg, status({ at: at + 20_000, status: 'completed', result: 'surveyed', satisfaction: 'satisfied' })], sealer);
    // The same batch again (a replay): lands nothing, seals nothing.
    const seals = async () => (await direct.db.execute<{ n: number }>(sql`select count(*)::int as n from telephony.record_seals where stream = ${sealer.stream}`)).rows[0]!.n;
    const before = await seals();
    await writeRecords(database.db, [leg, status({ at: at + 20_000, status: 'completed', result: 'surveyed', satisfaction: 'satisfied' })], sealer);
    expect(await seals()).toBe(before);
    expect((await verify()).problems).toEqual([]);
    await direct.db.execute(sql`update telephony.outbound_requests set satisfaction = 'very_satisfied' where id = ${id}`);
    expect((await verify()).problems).toEqual([`telephony.outbound_requests id ${id}: this satisfaction differs from its sealed record: edited`]);
    await direct.db.execute(sql`update telephony.outbound_requests set satisfaction = 'satisfied', result = 'connected' where id = ${id}`);
    expect((await verify()).problems).toEqual([`telephony.outbound_requests id ${id}: this result differs from its sealed record: edited`]);
    await direct.db.execute(sql`update telephony.outbound_requests set result = 'surveyed' where id = ${id}`);
  });
});
