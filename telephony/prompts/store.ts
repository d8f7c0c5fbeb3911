import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Prompt } from '../menu.ts';
import type { PromptAudio } from './convert.ts';
import { courtPrompts } from './prompts.sql.ts';

/** Every controller reloads its court prompts on this channel (court-prompts.ts). */
export const promptsChannel = 'telephony_prompts';

export interface CourtPromptInfo {
  prompt: string;
  source: 'upload' | 'text';
  text: string | null;
  fileName: string | null;
  sha256: string;
  durationMs: number;
  updatedBy: string | null;
  updatedAt: Date;
}

const info = {
  prompt: courtPrompts.prompt,
  source: courtPrompts.source,
  text: courtPrompts.text,
  fileName: courtPrompts.fileName,
  sha256: courtPrompts.sha256,
  durationMs: courtPrompts.durationMs,
  updatedBy: courtPrompts.updatedBy,
  updatedAt: courtPrompts.updatedAt,
};

/** A court's replaced prompts (without their audio). */
export async function courtPromptList(db: Db, courtId: string): Promise<CourtPromptInfo[]> {
  return (await db.select(info).from(courtPrompts).where(eq(courtPrompts.courtId, courtId))) as CourtPromptInfo[];
}

/** Every court's replaced prompts by hash, for the controllers. */
export async function allCourtPrompts(db: Db): Promise<Array<{ courtId: string; prompt: string; sha256: string }>> {
  return db.select({ courtId: courtPrompts.courtId, prompt: courtPrompts.prompt, sha256: courtPrompts.sha256 }).from(courtPrompts);
}

/** The audio of one court's prompt, or undefined when the court plays the shipped one. */
export async function courtPromptAudio(db: Db, courtId: string, prompt: string): Promise<Buffer | undefined> {
  const [row] = await db.select({ audio: courtPrompts.audio }).from(courtPrompts).where(and(eq(courtPrompts.courtId, courtId), eq(courtPrompts.prompt, prompt)));
  return row?.audio;
}

/** Audio by its content hash (what Asterisk fetches), whichever court set it. */
export async function promptAudioByHash(db: Db, sha256: string): Promise<Buffer | undefined> {
  const [row] = await db.select({ audio: courtPrompts.audio }).from(courtPrompts).where(eq(courtPrompts.sha256, sha256)).limit(1);
  return row?.audio;
}

export function sha256Of(audio: Buffer): string {
  return createHash('sha256').update(audio).digest('hex');
}

/** Sets (or replaces) a court's prompt and tells every controller in the same transaction. */
export async function saveCourtPrompt(
  db: Db,
  o: { courtId: string; prompt: Prompt; source: 'upload' | 'text'; text: string | null; fileName: string | null; audio: PromptAudio; userId: string | null },
): Promise<void> {
  const row = {
    courtId: o.courtId,
    prompt: o.prompt,
    source: o.source,
    text: o.text,
    fileName: o.fileName,
    audio: o.audio.wav,
    sha256: sha256Of(o.audio.wav),
    durationMs: o.audio.durationMs,
    updatedBy: o.userId,
    updatedAt: new Date(),
  };
  await db.transaction(async (tx) => {
    const { courtId: _c, prompt: _p, ...changes } = row;
    await tx.insert(courtPrompts).values(row).onConflictDoUpdate({ target: [courtPrompts.courtId, courtPrompts.prompt], set: changes });
    await tx.execute(sql`select pg_notify(${promptsChannel}, ${o.courtId})`);
  });
}

/** Back to the shipped prompt; false when the court had none of its own. */
export async function removeCourtPrompt(db: Db, courtId: string, prompt: Prompt): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = await tx.delete(courtPrompts).where(and(eq(courtPrompts.courtId, courtId), eq(courtPrompts.prompt, prompt))).returning({ prompt: courtPrompts.prompt });
    if (removed.length > 0) await tx.execute(sql`select pg_notify(${promptsChannel}, ${courtId})`);
    return removed.length > 0;
  });
}
