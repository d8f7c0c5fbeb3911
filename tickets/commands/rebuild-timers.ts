/**
 * After Redis was lost: puts every pending deadline timer back on the chase queue from PostgreSQL, and relays
 * any outbox rows not yet relayed. Safe to run at any time (job ids are deterministic).
 * Usage: DATABASE_URL=postgres://… REDIS_URL=redis://… npm run tickets:rebuild-timers
 */
import { loadConfig } from '../../platform/config/load.ts';
import { openDatabase } from '../../platform/db/client.ts';
import { createLogger } from '../../platform/logger.ts';
import { createMetrics } from '../../platform/metrics.ts';
import { Queues } from '../../platform/queues.ts';
import { connectRedis } from '../../platform/redis/connect.ts';
import { systemClock } from '../clock.ts';
import { OutboxRelay } from '../outbox.ts';
import { rebuildTimers } from '../rebuild-timers.ts';

const config = loadConfig();
const logger = createLogger(config.log);
const database = await openDatabase({ url: config.database.url, poolSize: 2, dataDir: config.dataDir, logger });
const redis = await connectRedis(config.redis, logger);
const queues = new Queues(redis, config.redis.prefix, logger, false, createMetrics());
try {
  const relayed = await new OutboxRelay({ db: database.db, queues, clock: systemClock, logger }).drain();
  const { pending, added } = await rebuildTimers(database.db, queues, systemClock);
  console.log(`outbox rows relayed: ${relayed}; pending timers: ${pending}, re-added to Redis: ${added}`);
} finally {
  await queues.close();
  redis.disconnect();
  await database.close();
}
