import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../platform/db/client.ts';
import { createLogger } from '../../platform/logger.ts';
import { generateKeyFile } from '../../platform/seals/keys.ts';
import { Findings } from '../../platform/seals/problems.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import type { JournalRecord } from './records.ts';
import { writeRecords } from './repository.ts';
import { CallSealer } from './seal.ts';
import { verifyCallRecords } from './seal-verify.ts';

// A batch's rows and its seal land together or not at all, whatever fails between them: a writer that dies, an
// outbound statement the database refuses. Verify then never sees a row without its seal (a false tamper alarm).
const logger = createLogger({ level: 'silent', pretty: false });
const url = await useTestDatabase();
const database = await openDatabase({ url, poolSize: 2, dataDir: '', logger });
const pool = new pg.Pool({ connectionString: url, max: 1 });
const dir = mkdtempSync(join(tmpdir(), 'seal-atomic-'));
const signer = generateKeyFile(join(dir, 'key.pem'));
afterAll(async () => {
  await pool.end();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The database as a writer sees it until it dies: every statement after the first `statements` fails. */
function dyingAfter(statements: number): Db {
  let sent = 0;
  const dying = new Proxy(pool, {
    get(target, prop) {
      if (prop === 'query') return (...args: unknown[]) => (++sent > statements ? Promise.reject(new Error('the writer died here')) : (target.query as (...a: unknown[]) => unknown)(...args));
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return drizzle(dying) as unknown as Db;
}

function call(at: number): JournalRecord[] {
  const callId = randomUUID();
  return [
    { kind: 'call_started', id: callId, courtId: null, channelId: `ch-${callId}`, callerNumber: '13800000000', dialled: '12368', arrivedAt: at },
    { kind: 'call_event', id: randomUUID(), callId, courtId: null, at: at + 1, seq: 1, event: 'arrived', operatorId: null, data: {} },
    {
      kind: 'call_closed', callId, arrivedAt: at, endedAt: at + 2,
      summary: { outcome: 'abandoned_in_menu', hangupBy: 'caller', inHours: true, skill: null, queuedAt: null, answeredAt: null, answeredBy: null },
    },
  ];
}

async function problems(): Promise<string[]> {
  const findings = new Findings();
  await verifyCallRecords(database.db, signer.verifier, {}, findings);
  return findings.list.map((f) => `${f.record}: ${f.problem}`);
}
/** The error's message and its causes' (drizzle wraps the driver's error). */
async function failure(write: Promise<unknown>): Promise<string> {
  try {
    await write;
  } catch (err) {
    const messages: string[] = [];
    for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) messages.push(String(e.message));
    return messages.join(' / ');
  }
  return 'no error';
}
const count = async (query: ReturnType<typeof sql>) => (await database.db.execute<{ n: number }>(query)).rows[0]!.n;

describe('a batch and its seal, together', () => {
  it('a retry that regrouped its records after a lost reply, its writer dying before it can write again: nothing of it lands, and the replay lands it sealed', async () => {
    const sealer = new CallSealer(signer);
    const first = call(Date.now() - 9000);
    await writeRecords(database.db, first, sealer);
    // The same writer as it was before that batch's reply (lost): seal #1 is taken by what landed. It dies after
    // its first statement (the one that would have written the new call's rows beside a seal already there).
    const stale = Object.assign(new CallSealer(signer), { stream: sealer.stream });
    const second = call(Date.now() - 8000);
    expect(await failure(writeRecords(dyingAfter(1), [...first, ...second], stale))).toMatch(/the writer died here/);
    const secondId = (second[0] as { id: string }).id;
    expect(await count(sql`select count(*)::int as n from telephony.calls where id = ${secondId}`)).toBe(0);
    expect(await problems()).toEqual([]);
    // After a restart the journal writes the batch again with a new writer: every row lands with its seal.
    await writeRecords(database.db, [...first, ...second], new CallSealer(signer));
    expect(await count(sql`select count(*)::int as n from telephony.calls where id = ${secondId}`)).toBe(1);
    expect(await problems()).toEqual([]);
  });

  it('the same retry with its writer alive: the chain follows the seal stored and the batch gets the next', async () => {
    const sealer = new CallSealer(signer);
    const first = call(Date.now() - 7000);
    await writeRecords(database.db, first, sealer);
    const stale = Object.assign(new CallSealer(signer), { stream: sealer.stream });
    await writeRecords(database.db, [...first, ...call(Date.now() - 6000)], stale);
    expect(await count(sql`select max(seq)::int as n from telephony.record_seals where stream = ${sealer.stream}`)).toBe(2);
    await writeRecords(database.db, call(Date.now() - 5000), stale);
    expect(await count(sql`select max(seq)::int as n from telephony.record_seals where stream = ${sealer.stream}`)).toBe(3);
    expect(await problems()).toEqual([]);
  });

  it('a batch with outbound records whose outbound statement fails leaves neither its calls nor its seal; written again, all of it lands sealed', async () => {
    const sealer = new CallSealer(signer);
    const outboundId = randomUUID();
    const courtId = randomUUID();
    const requestedAt = new Date(Date.now() - 60_000).toISOString();
    await database.db.execute(sql`insert into telephony.outbound_requests (id, court_id, purpose, mode, number, requested_by, requested_at, status, updated_at)
      values (${outboundId}, ${courtId}, 'return_visit', 'survey', '13700000000', ${randomUUID()}, ${requestedAt}, 'scheduled', ${requestedAt})`);
    const records: JournalRecord[] = [
      ...call(Date.now() - 4000),
      { kind: 'outbound_status', outboundId, at: Date.now() - 3000, status: 'dialling', attempts: 1, nextAttemptAt: null, result: null, satisfaction: null, detail: null },
    ];
    // The database fails the outbound update (not a refusal of what it holds: the journal would retry it).
    await database.db.execute(sql.raw(`create function telephony.fail_once() returns trigger language plpgsql as $$ begin raise exception 'outbound table unavailable'; end $$;
      create trigger fail_once before update on telephony.outbound_requests for each row execute function telephony.fail_once()`));
    const seals = await count(sql`select count(*)::int as n from telephony.record_seals`);
    expect(await failure(writeRecords(database.db, records, sealer))).toMatch(/outbound table unavailable/);
    expect(await count(sql`select count(*)::int as n from telephony.calls where id = ${(records[0] as { id: string }).id}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from telephony.record_seals`)).toBe(seals);
    expect(await problems()).toEqual([]);
    await database.db.execute(sql.raw('drop trigger fail_once on telephony.outbound_requests; drop function telephony.fail_once()'));
    await writeRecords(database.db, records, sealer);
    expect(await count(sql`select count(*)::int as n from telephony.record_seals`)).toBe(seals + 1);
    expect(await problems()).toEqual([]);
  });
});
