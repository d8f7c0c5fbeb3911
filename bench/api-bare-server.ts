/**
 * The API benchmark's baseline, in a process of its own so it can be loaded at the same time as the
 * product (the machine's other work then hits both sides alike): a bare Fastify server (no hooks, no
 * logger) whose one route runs the same drizzle query as GET /api/departments, on a pool of the same size.
 * `tsx bench/api-bare-server.ts <database url> <court id> <pool size>`; prints `{"url": …}` once listening.
 * GET /cpu answers this process's CPU time, so the benchmark can divide it by the requests served.
 */
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import { openDatabase } from '../platform/db/client.ts';
import { departments } from '../platform/directory.sql.ts';
import { createLogger } from '../platform/logger.ts';

const [url, courtId, poolSize] = process.argv.slice(2);
if (!url || !courtId) throw new Error('usage: api-bare-server.ts <database url> <court id> [pool size]');
const database = await openDatabase({ url, poolSize: Number(poolSize ?? 10), dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
const { db } = database;
const app = Fastify();
app.get('/bare/departments', async () => db.select().from(departments).where(eq(departments.courtId, courtId)).orderBy(departments.name));
app.get('/cpu', async () => process.cpuUsage());
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url: address })}\n`);
process.once('SIGTERM', () => void app.close().then(() => database.close()).then(() => process.exit(0)));
