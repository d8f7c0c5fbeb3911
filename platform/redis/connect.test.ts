import { Writable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { spawnRedis } from '../../test/harness/redis.ts';
import { createLogger } from '../logger.ts';
import { connectRedis, duplicateRedis } from './connect.ts';

/** A logger whose JSON lines are kept for the test to read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', pretty: false }, sink) };
}

describe('duplicateRedis', () => {
  it('logs a lost connection of a duplicate once, under its purpose, and again only after it was back', async () => {
    const server = await spawnRedis();
    const { lines, logger } = capturingLogger();
    const main = await connectRedis(server.url, logger);
    const copy = duplicateRedis(main, logger, 'events');
    onTestFinished(() => {
      main.disconnect();
      copy.disconnect();
    });
    await copy.ping();
    const lost = () => lines.filter((l) => l.msg === 'redis connection error' && l.connection === 'events');

    await server.stop();
    await expect.poll(lost, { timeout: 10_000 }).toHaveLength(1);
    // ioredis retries (and errors) again and again while the server is away: still one line.
    await new Promise((r) => setTimeout(r, 1500));
    expect(lost()).toHaveLength(1);

    await server.restart();
    await expect.poll(() => copy.ping(), { timeout: 10_000 }).toBe('PONG');
    await server.stop();
    await expect.poll(lost, { timeout: 10_000 }).toHaveLength(2);
  });
});
