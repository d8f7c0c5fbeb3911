import type { JournalRecord } from './records.ts';

/**
 * Whether PostgreSQL refused a write for what the records hold, not because it is away: a data exception
 * (SQLSTATE class 22, such as an enum value this schema lacks, from the spool of a newer controller) or an
 * integrity violation (class 23). Retrying such a batch fails forever and would hold every later record back
 * until the spool is full. Drizzle may wrap the driver's error: its cause is read too.
 */
export function isRefusal(err: unknown): boolean {
  const { code, cause } = (err ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  const sqlState = typeof code === 'string' ? code : cause?.code;
  return typeof sqlState === 'string' && /^2[23][0-9A-Z]{3}$/.test(sqlState);
}

/**
 * Writes records in order; when the database refuses a batch for its contents, halves it until each refused
 * record is alone, writes the others and hands the refused ones to `setAside`. Rejects as `write` does when the
 * database is away (a half already written is written again on the retry, which writing allows).
 */
export async function writeSettingAside(
  write: (records: JournalRecord[]) => Promise<void>,
  records: JournalRecord[],
  setAside: (records: JournalRecord[], err: Error) => void,
): Promise<void> {
  try {
    await write(records);
  } catch (err) {
    if (!isRefusal(err)) throw err;
    if (records.length === 1) return setAside(records, err as Error);
    const half = Math.ceil(records.length / 2);
    await writeSettingAside(write, records.slice(0, half), setAside);
    await writeSettingAside(write, records.slice(half), setAside);
  }
}
