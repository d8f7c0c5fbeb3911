import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { forEachHeadLine, HeadLog, type HeadLine } from './head-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'head-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const logger = createLogger({ level: 'silent', pretty: false });

async function read(database: string, domain: string) {
  const lines: HeadLine[] = [];
  const problems: string[] = [];
  await forEachHeadLine({ dir, database }, domain, (l) => lines.push(l), (where, problem) => problems.push(`${where}: ${problem}`));
  return { seqs: lines.map((l) => l.entry.text), problems };
}

describe('a head log', () => {
  it('writes lines in order, a head no further than one logged skipped; reads back its database and domain only', async () => {
    const log = new HeadLog(dir, 'db1', logger);
    for (const seq of [1, 2, 2, 1, 3]) log.append('calls', 'stream/court', seq, `s${seq}`, 'sig', ['call-a']);
    log.append('tickets', 'court', 1, 't1', 'sig');
    await log.close();
    const other = new HeadLog(dir, 'db2', logger);
    other.append('calls', 'stream/court', 1, 'other', 'sig');
    await other.flush();
    expect(await read('db1', 'calls')).toEqual({ seqs: ['s1', 's2', 's3'], problems: [] });
    expect(await read('db1', 'tickets')).toEqual({ seqs: ['t1'], problems: [] });
    expect(JSON.parse(readFileSync(log.file, 'utf8').split('\n')[0]!)).toMatchObject({ v: 1, db: 'db1', d: 'calls', hint: ['call-a'] });
    // A line cut short at the end (a crash) is no finding; one in the middle is.
    appendFileSync(log.file, '{"v":1,"d');
    expect((await read('db1', 'calls')).problems).toEqual([]);
    appendFileSync(log.file, '\n{}\n');
    expect((await read('db1', 'calls')).problems).toEqual([`${log.file} line 5: is not JSON: the head log was edited`]);
  });

  it('a write that fails is logged and counted, never thrown, and the next goes on', async () => {
    const log = new HeadLog(join(dir, 'sub'), 'db', logger);
    rmSync(join(dir, 'sub'), { recursive: true });
    log.append('calls', 'c', 1, 'x', 'sig');
    await log.flush();
    expect(log.failed).toBe(1);
  });
});
