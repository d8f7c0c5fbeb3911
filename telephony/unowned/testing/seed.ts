import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client.ts';
import { menuOptions } from '../../menu.ts';
import { chinaDayStart } from '../service.ts';

/** An instant `minutes` into today's China day (tests place their calls between midnight and now). */
export const todayAt = (minutes: number) => new Date(chinaDayStart(Date.now()).getTime() + minutes * 60_000);

/** A closed call row as the controller writes it, with a menu choice event when `option` is given. */
export async function seedCall(
  db: Db,
  c: { courtId: string; caller: string; at: Date; outcome: string; option?: (typeof menuOptions)[number]['option']; answeredBy?: string },
): Promise<string> {
  const id = randomUUID();
  const ended = new Date(c.at.getTime() + 30_000);
  await db.execute(sql`insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, outcome, hangup_by, ended_at, in_hours, skill, queued_at, answered_at, answered_by)
    values (${id}, ${c.courtId}, ${`ch-${id}`}, ${c.caller}, '12368', ${c.at.toISOString()}::timestamptz, ${c.outcome}::telephony.call_outcome, 'caller', ${ended.toISOString()}::timestamptz, true,
            ${c.option ? (menuOptions.find((o) => o.option === c.option)?.skill ?? null) : null}, ${c.at.toISOString()}::timestamptz,
            ${c.answeredBy ? ended.toISOString() : null}::timestamptz, ${c.answeredBy ?? null}::uuid)`);
  if (c.option) {
    const digit = menuOptions.find((o) => o.option === c.option)!.digit;
    await db.execute(sql`insert into telephony.call_events (id, call_id, court_id, at, seq, kind, data)
      values (${randomUUID()}, ${id}, ${c.courtId}, ${c.at.toISOString()}::timestamptz, 2, 'menu_choice', ${JSON.stringify({ digit, option: c.option })}::jsonb)`);
  }
  return id;
}

/** A stored message recording of a call: a short silent WAV under `dir`, and its telephony.recordings row. */
export async function seedMessageRecording(db: Db, dir: string, c: { callId: string; courtId: string; at: Date }): Promise<void> {
  const path = `test/${c.callId}-message.wav`;
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, path), silentWav(1));
  await db.execute(sql`insert into telephony.recordings (call_id, kind, court_id, call_arrived_at, name, status, path, size_bytes, stored_at)
    values (${c.callId}, 'message', ${c.courtId}, ${c.at.toISOString()}::timestamptz, ${`msg-${c.callId}`}, 'stored', ${path}, 8044, now())`);
}

/** Another operator of a court (with a softphone endpoint). */
export async function seedOperator(db: Db, courtId: string, name: string): Promise<string> {
  const id = randomUUID();
  await db.execute(sql`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values (${id}, ${courtId}, ${`${name}-${id.slice(0, 6)}`}, ${`话务员 ${name}`}, 'operator', ${`${name}${id.slice(0, 4)}`})`);
  return id;
}

/** `seconds` of 8 kHz 8-bit mono silence as a WAV file. */
function silentWav(seconds: number): Buffer {
  const data = Buffer.alloc(8000 * seconds, 0x80);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(8000, 28);
  h.writeUInt16LE(1, 32);
  h.writeUInt16LE(8, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
