import { mkdtempSync, rmSync } from 'node:fs';
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

function callRecords(callId: string, at: number): JournalRecord[] {
  return [
    { kind: 'call_started', id: callId, courtId: null, channelId: `ch-${callId}`, callerNumber: '13800000000', dialled: '12368', arrivedAt: at },
    { kind: 'call_event', id: randomUUID(), callId, courtId: null, at: at + 1, seq: 1, event: 'arrived', operatorId: null, data: {} },
    { kind: 'call_event', id: randomUUID(), callId, courtId: null, at: at + 2, seq: 2, event: 'hangup', operatorId: null, data: { by: 'caller' } },
    {
      kind: 'call_closed',
      callId,
      arrivedAt: at,
      endedAt: at + 2,
      summary: { outcome: 'abandoned_in_menu', hangupBy: 'caller', inHours: true, skill: null, queuedAt: null, answeredAt: null, answeredBy: null },
    },
  ];
}

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

  it('keeps records on disk while PostgreSQL is cut and writes each exactly once when it returns, even across a restart', async () => {
    const journal = new CallJournal({ write: (r) => writeRecords(database.db, r), dir, logger, retryMs: 50, maxMemoryRecords: 5 });
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

  it('refuses records past its bound instead of filling the disk, and says how many', async () => {
    const small = mkdtempSync(join(tmpdir(), 'journal-small-'));
    const journal = new CallJournal({ write: () => Promise.reject(new Error('down')), dir: small, logger, maxSpoolBytes: 2000, maxMemoryRecords: 1 });
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
