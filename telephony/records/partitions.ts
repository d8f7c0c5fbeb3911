import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Logger } from '../../platform/logger.ts';

/** Tables partitioned by month (migration 0002) and the months kept ready around now. */
const partitioned = ['telephony.calls', 'telephony.call_events'] as const;
const monthsBack = 1;
const monthsAhead = 3;

/**
 * Makes sure the month partitions around now exist (last month to three months ahead), so rows never
 * pile up in the DEFAULT partition (a month cannot be split out of it while it holds that month's rows).
 * Idempotent; two processes racing to create the same month is harmless (the loser logs and moves on).
 */
export async function ensureMonthPartitions(db: Db, logger: Logger, now = new Date()): Promise<number> {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthsAhead, 1));
  let made = 0;
  for (const table of partitioned) {
    try {
      const { rows } = await db.execute<{ made: number }>(sql`select telephony.ensure_month_partitions(${table}::regclass, ${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz) as made`);
      made += Number(rows[0]?.made ?? 0);
    } catch (err) {
      logger.warn({ err: (err as Error).message, table }, 'could not create month partitions (another process may have just made them)');
    }
  }
  if (made > 0) logger.info({ made }, 'month partitions created');
  return made;
}

/** Runs ensureMonthPartitions now and twice a day; returns the stop function. */
export function keepMonthPartitions(db: Db, logger: Logger): () => void {
  void ensureMonthPartitions(db, logger);
  const timer = setInterval(() => void ensureMonthPartitions(db, logger), 12 * 3600_000);
  timer.unref();
  return () => clearInterval(timer);
}
