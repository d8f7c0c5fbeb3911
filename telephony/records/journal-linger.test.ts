import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { CallJournal } from './journal.ts';
import type { JournalRecord } from './records.ts';

const dir = mkdtempSync(join(tmpdir(), 'journal-linger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const presence = (): JournalRecord => ({ kind: 'presence', id: randomUUID(), operatorId: randomUUID(), courtId: null, at: Date.now(), state: 'ready', previous: null, reason: null, callId: null });

describe('the journal under a steady stream of records', () => {
  it('writes a batch per linger, not one after another as records land (each batch costs a statement and a seal)', async () => {
    const batches: number[] = [];
    // Each write takes 5 ms: written back to back, the batches would hold what came during the last one.
    const write = async (records: JournalRecord[]) => {
      batches.push(records.length);
      await sleep(5);
    };
    const journal = new CallJournal({ write, dir, logger: createLogger({ level: 'silent', pretty: false }), lingerMs: 20 });
    const started = Date.now();
    let appended = 0;
    while (Date.now() - started < 400) {
      journal.append(presence());
      appended++;
      await sleep(1);
    }
    const elapsed = Date.now() - started;
    await journal.caughtUp();
    await journal.close();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(appended);
    // One batch per 20 ms of the stream (and the last), where back to back there would be one per ~5 ms.
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(elapsed / 20) + 3);
    expect(batches.length).toBeGreaterThanOrEqual(Math.floor(elapsed / 40));
  });
});
