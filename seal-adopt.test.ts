import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyFile } from './platform/seals/keys.ts';
import { Seals } from './platform/seals/seals.ts';
import type { JournalRecord } from './telephony/records/records.ts';
import { writeRecords } from './telephony/records/repository.ts';
import { callHeads } from './telephony/records/seal.ts';
import { ticketHeads } from './tickets/audit-seal.ts';
import { seedCourt, useTicketsDatabase, useTicketsRuntime } from './tickets/testing/harness.ts';
import { adoptUnsealed } from './seal-adopt.ts';
import { verifyAll } from './verify.ts';

const dir = mkdtempSync(join(tmpdir(), 'seal-adopt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seals = new Seals(generateKeyFile(join(dir, 'key.pem')), join(dir, 'checkpoints.jsonl'));
seals.addHeads('tickets', ticketHeads);
seals.addHeads('calls', callHeads);
const database = await useTicketsDatabase();
const db = database.db;
const court = await seedCourt(database);
const { runtime } = await useTicketsRuntime(database, { start: { relay: false, workers: false } });

describe('npm run seals:adopt', () => {
  it('seals what was written before seals existed, once; later writes are sealed as they happen; an edit after adoption is named', async () => {
    // Before seals: a ticket trail and call records written without a key.
    const t = await runtime.service.create(court.operator, { summary: '旧工单' });
    await runtime.service.edit(court.operator, t.id, { details: '旧' });
    const callId = randomUUID();
    const at = Date.now() - 60_000;
    const records: JournalRecord[] = [
      { kind: 'call_started', id: callId, courtId: court.courtId, channelId: 'ch-old', callerNumber: '13800000000', dialled: '12368', arrivedAt: at },
      { kind: 'call_event', id: randomUUID(), callId, courtId: court.courtId, at: at + 1, seq: 1, event: 'arrived', operatorId: null, data: {} },
      { kind: 'call_closed', callId, arrivedAt: at, endedAt: at + 5, summary: { outcome: 'abandoned_in_menu', hangupBy: 'caller', inHours: true, skill: null, queuedAt: null, answeredAt: null, answeredBy: null } },
    ];
    await writeRecords(db, records);
    const before = await verifyAll(db, seals.verifier, seals.checkpointFile);
    expect(before.findings.list.map((f) => f.problem).join('\n')).toMatch(/covered by no seal[\s\S]*no seal holds this row/);

    expect(await adoptUnsealed(db, seals)).toEqual({ ticketCourts: 1, callRecords: 3 });
    expect((await verifyAll(db, seals.verifier, seals.checkpointFile)).findings.list).toEqual([]);
    expect(await adoptUnsealed(db, seals)).toEqual({ ticketCourts: 0, callRecords: 0 });

    runtime.context.seals = seals;
    await runtime.service.edit(court.operator, t.id, { details: '新' });
    expect((await verifyAll(db, seals.verifier, seals.checkpointFile)).findings.list).toEqual([]);
    await db.execute(sql`update telephony.calls set outcome = 'answered' where id = ${callId}`);
    expect((await verifyAll(db, seals.verifier, seals.checkpointFile)).findings.list).toEqual([
      { record: `telephony.calls id ${callId}`, problem: 'this close differs from its sealed record: edited' },
    ]);
  });
});
