/**
 * Test fixture: a chase-queue worker that is killed (SIGKILL) right after its change commits, before BullMQ
 * hears the job finished — the worst moment for a worker to die. Run by worker-crash.test.ts as a child process.
 * Env: DATABASE_URL, REDIS_URL, REDIS_PREFIX.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { openDatabase } from '../../platform/db/client.ts';
import { createLogger } from '../../platform/logger.ts';
import { systemClock } from '../clock.ts';
import type { TicketContext } from '../context.ts';
import { defaultChaseSettings } from '../deadline.ts';
import { applyTimer } from '../jobs.ts';
import { stageQueues, type SlaJob } from '../queues.ts';

const logger = createLogger({ level: 'silent', pretty: false });
const database = await openDatabase({ url: process.env.DATABASE_URL!, poolSize: 2, dataDir: '', logger });
const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const context: TicketContext = {
  db: database.db,
  clock: systemClock,
  logger,
  chase: defaultChaseSettings,
  onCommit: () => {
    process.stdout.write('committed\n');
    process.kill(process.pid, 'SIGKILL');
  },
};
new Worker<SlaJob>(stageQueues.chase, async (job) => applyTimer(context, job.id!, job.data), {
  connection: redis,
  prefix: process.env.REDIS_PREFIX!,
  lockDuration: 1000,
  // Its start-up stalled check throttles everyone's for this long (a key in Redis): keep it short.
  stalledInterval: 300,
});
process.stdout.write('ready\n');
