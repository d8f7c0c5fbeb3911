import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../platform/db/client.ts';
import { createLogger } from '../../platform/logger.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useTcpProxy } from '../../test/harness/tcp-proxy.ts';
import { CallJournal } from './journal.ts';
import type { JournalRecord } from './records.ts';
import { writeRecords } from './repository.ts';
import { callRecords as callRecordsOf } from './test/call-records.ts';

const logger = createLogger({ level: 'silent', pretty: false });
const url = new URL(await useTestDatabase());
const proxy = await useTcpProxy(url.hostname, Number(url.port || 5432));
const proxied = new URL(url);
proxied.port = String(proxy.port);
const database: Database = await openDatabase({ url: proxied.toString(), poolSize: 2, dataDir: '', logger });
const direct: Database = await openDatabase({ url: url.toString(), poolSize: 1, dataDir: '', logger });
const dir = mkdtempSync(join(tmpdir(), 'journal-'));
afterAll(async () => {
  await database.close().catch(() => undefined);
  await direct.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Closes as controllers before the close's row basis wrote them (the repair test adds it). */
const callRecords = (callId: string, at: number) => callRecordsOf(callId, at, { withRow: false });

async function counts(callIds: string[]) {
  const list = callIds.map((id) => `'${id}'`).join(',');
  const { rows: c } = await direct.db.execute<{ n: number; closed: number }>(
    `select count(*)::int as n, count(outcome)::int as closed from telephony.calls where id in (${list})` as never,
  );
  const { rows: e } = await direct.db.execute<{ n: number }>(`select count(*)::int as n from telephony.call_events where call_id in (${list})` as never);
  return { calls: c[0]!.n, closed: c[0]!.closed, events: e[0]!.n };
}

describe('CallJournal', () => {
  it('writes records in order, and a batch written twice lands once', async () => {
    const id = randomUUID();
    const records = callRecords(id, Date.now());
    await writeRecords(database.db, records);
    await writeRecords(database.db, records);
    expect(await counts([id])).toEqual({ calls: 1, closed: 1, events: 2 });
  });

  it('closes a call whose open row is already written when a batch brings it again with its close (a retried batch that grew)', async () => {
    const id = randomUUID();
    const records = callRecords(id, Date.now());
    await writeRecords(database.db, records.slice(0, 2));
    expect(await counts([id])).toEqual({ calls: 1, closed: 0, events: 1 });
    await writeRecords(database.db, records);
    expect(await counts([id])).toEqual({ calls: 1, closed: 1, events: 2 });
  });

  it("keeps a call's first close when a batch brings two, whether its row is new or already written", async () => {
    const outcomeOf = async (id: string) => (await direct.db.execute<{ outcome: string }>(`select outcome from telephony.calls where id = '${id}'` as never)).rows[0]?.outcome;
    const twoCloses = (id: string) => {
      const [started, , , closed] = callRecords(id, Date.now()) as [JournalRecord, JournalRecord, JournalRecord, Extract<JournalRecord, { kind: 'call_closed' }>];
      const later = { ...closed, summary: { ...closed.summary, outcome: 'failed' as const, hangupBy: 'system' as const } };
      return { started, closes: [closed, later] };
    };
    const fresh = twoCloses(randomUUID());
    await writeRecords(database.db, [fresh.started, ...fresh.closes]);
    expect(await outcomeOf((fresh.started as { id: string }).id)).toBe('abandoned_in_menu');
    const written = twoCloses(randomUUID());
    await writeRecords(database.db, [written.started]);
    await writeRecords(database.db, written.closes);
    expect(await outcomeOf((written.started as { id: string }).id)).toBe('abandoned_in_menu');
  });

  it('re-creates a call row missing at its close from what the close carries, and reports the repair', async () => {
    const repairDir = mkdtempSync(join(dir, 'repair-'));
    const journal = new CallJournal({ write: (r) => writeRecords(database.db, r), dir: repairDir, logger });
    const lost = randomUUID();
    const at = Date.now();
    const [, arrived, hangup, close] = callRecords(lost, at) as [JournalRecord, JournalRecord, JournalRecord, Extract<JournalRecord, { kind: 'call_closed' }>];
    // Its start never reached the journal (a controller before the write-ahead log): events and close only.
    for (const r of [arrived, hangup, { ...close, row: { courtId: null, channelId: `ch-${lost}`, callerNumber: '13800000000', dialled: '12368' } }]) journal.append(r);
    const whole = randomUUID();
    for (const r of callRecords(whole, at)) journal.append({ ...r, ...(r.kind === 'call_closed' ? { row: { courtId: null, channelId: `ch-${whole}`, callerNumber: '13800000000', dialled: '12368' } } : {}) } as JournalRecord);
    await journal.caughtUp();
    expect(await counts([lost, whole])).toEqual({ calls: 2, closed: 2, events: 4 });
    const row = (await direct.db.execute<{ channel_id: string; outcome: string }>(`select channel_id, outcome from telephony.calls where id = '${lost}'` as never)).rows[0];
    expect(row).toEqual({ channel_id: `ch-${lost}`, outcome: 'abandoned_in_menu' });
    // Only the lost one counts as repaired; written again, nothing more is repaired.
    expect(journal.repaired).toBe(1);
    expect(await writeRecords(database.db, [close])).toEqual({ repaired: [], repeats: 0, unmatched: { closes: [], outboundStatuses: [] } });
    await journal.close();
  });

  it('reports records that found no row to apply to: a close with nothing to re-create its call from, a status of an unknown callback', async () => {
    const errors: Array<{ calls: string[]; callbacks: string[]; msg: string }> = [];
    const seen = createLogger({ level: 'error', pretty: false }, { write: (line: string) => void errors.push(JSON.parse(line)) });
    const journal = new CallJournal({ write: (r) => writeRecords(database.db, r), dir: mkdtempSync(join(dir, 'unmatched-')), logger: seen });
    const ghost = randomUUID();
    const [, , , close] = callRecords(ghost, Date.now()) as [JournalRecord, JournalRecord, JournalRecord, JournalRecord];
    const unknownCallback = randomUUID();
    const status = { kind: 'outbound_status', outboundId: unknownCallback, at: Date.now(), status: 'completed', attempts: 1, nextAttemptAt: null, result: 'connected', satisfaction: null, detail: null } as unknown as JournalRecord;
    // A known call closed again (a replay) is not reported.
    const known = randomUUID();
    const knownRecords = callRecords(known, Date.now());
    await writeRecords(database.db, knownRecords);
    for (const r of [close, status, knownRecords.at(-1)!]) journal.append(r);
    await journal.caughtUp();
    expect(journal.unmatched).toBe(2);
    expect(errors.map((e) => [e.msg, e.calls, e.callbacks])).toEqual([['call records that found no row to apply to: not counted anywhere', [ghost], [unknownCallback]]]);
    await journal.close();
  });

  it('writes a batch whole or not at all: a record the database refuses leaves nothing of its batch behind', async () => {
    const id = randomUUID();
    const records = callRecords(id, Date.now());
    // An event kind the enum does not have (a newer controller's, say), as it would arrive from a spool.
    const refused = { kind: 'call_event', id: randomUUID(), callId: id, courtId: null, at: Date.now(), seq: 3, event: 'no_such_kind', operatorId: null, data: {} } as unknown as JournalRecord;
    await expect(writeRecords(database.db, [...records, refused])).rejects.toThrow(/call_event_kind/);
    expect(await counts([id])).toEqual({ calls: 0, closed: 0, events: 0 });
  });

  it('keeps records on disk while PostgreSQL is cut and writes each exactly once when it returns, even across a restart', async () => {
    const journal = new CallJournal({ write: (r) => writeRecords(database.db, r), dir, logger, retryMs: 50 });
    const before = randomUUID();
    for (const r of callRecords(before, Date.now())) journal.append(r);
    await journal.flush();
    expect(await counts([before])).toEqual({ calls: 1, closed: 1, events: 2 });

    await proxy.cut();
    const during = Array.from({ length: 5 }, () => randomUUID());
    for (const id of during) for (const r of callRecords(id, Date.now())) journal.append(r);
    await journal.flush();
    expect(journal.backlog.spoolBytes).toBeGreaterThan(0);
    expect(await counts(during)).toEqual({ calls: 0, closed: 0, events: 0 });

    // The process stops while the database is still away: nothing may be lost.
    await journal.close();
    const restarted = new CallJournal({ write: (r) => writeRecords(database.db, r), dir, logger, retryMs: 50 });
    await restarted.flush();
    expect(restarted.backlog.spoolBytes).toBeGreaterThan(0);

    await proxy.restore();
    await expect.poll(async () => counts(during), { timeout: 10_000, interval: 100 }).toEqual({ calls: 5, closed: 5, events: 10 });
    expect(restarted.backlog).toEqual({ memory: 0, spoolBytes: 0 });
    await restarted.close();
  });

  it('sets aside a record the database refuses for what it holds, and writes every other, from memory and from the spool', async () => {
    const refusedDir = mkdtempSync(join(dir, 'refused-'));
    const journal = new CallJournal({ write: (r) => writeRecords(database.db, r), dir: refusedDir, logger, retryMs: 50 });
    // An event kind this schema lacks (as a newer controller's spool could hold), amid good records.
    const poison = (callId: string) => ({ kind: 'call_event', id: randomUUID(), callId, courtId: null, at: Date.now(), seq: 9, event: 'no_such_kind', operatorId: null, data: {} }) as unknown as JournalRecord;
    const calls = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of calls.entries()) {
      for (const r of callRecords(id, Date.now())) journal.append(r);
      if (i === 1) journal.append(poison(id));
    }
    await journal.flush();
    expect(await counts(calls)).toEqual({ calls: 3, closed: 3, events: 6 });
    expect(journal.refused).toBe(1);
    expect(journal.backlog).toEqual({ memory: 0, spoolBytes: 0 });

    await proxy.cut();
    const later = [randomUUID(), randomUUID()];
    for (const id of later) for (const r of [...callRecords(id, Date.now()), poison(id)]) journal.append(r);
    await journal.flush();
    expect(journal.backlog.spoolBytes).toBeGreaterThan(0);
    await proxy.restore();
    await expect.poll(async () => counts(later), { timeout: 10_000, interval: 100 }).toEqual({ calls: 2, closed: 2, events: 4 });
    await expect.poll(() => journal.backlog).toEqual({ memory: 0, spoolBytes: 0 });
    expect(journal.refused).toBe(3);
    const kept = readFileSync(join(refusedDir, 'journal.refused.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(kept).toHaveLength(3);
    expect(kept.every((k) => k.record.event === 'no_such_kind' && /call_event_kind/.test(k.reason))).toBe(true);
    await journal.close();
  });

  it('refuses records past its bound instead of filling the disk, and says how many', async () => {
    const small = mkdtempSync(join(tmpdir(), 'journal-small-'));
    const journal = new CallJournal({ write: () => Promise.reject(new Error('down')), dir: small, logger, maxSpoolBytes: 2000 });
    for (let i = 0; i < 5; i++) for (const r of callRecords(randomUUID(), Date.now())) journal.append(r);
    await journal.close();
    expect(journal.dropped).toBeGreaterThan(0);
    expect(journal.backlog.spoolBytes).toBeLessThanOrEqual(2000);
    rmSync(small, { recursive: true, force: true });
  });

  it('lets records linger so a busy hotline writes one batch, not one per record', async () => {
    const batches: number[] = [];
    const journal = new CallJournal({ write: async (records) => void batches.push(records.length), dir: mkdtempSync(join(dir, 'linger-')), logger, lingerMs: 300 });
    for (let call = 0; call < 5; call++) {
      for (const record of callRecords(randomUUID(), Date.now())) journal.append(record);
      await new Promise((r) => setImmediate(r)); // calls arrive over several ticks
    }
    expect(batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 600));
    expect(batches).toEqual([20]);
    await journal.close();
  });

  it('writes a full batch at once, without waiting out the linger', async () => {
    const batches: number[] = [];
    const journal = new CallJournal({ write: async (records) => void batches.push(records.length), dir: mkdtempSync(join(dir, 'full-')), logger, lingerMs: 60_000, batchSize: 8 });
    for (const record of callRecords(randomUUID(), Date.now())) journal.append(record);
    await new Promise((r) => setTimeout(r, 50));
    expect(batches).toEqual([]); // 4 records: they linger
    for (const record of callRecords(randomUUID(), Date.now())) journal.append(record);
    await new Promise((r) => setTimeout(r, 50));
    expect(batches).toEqual([8]);
    await journal.close();
  });
});
