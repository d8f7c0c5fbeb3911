import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { AriFetchRetry } from './ari-files.ts';
import { quietWhileAsteriskAway } from './quiet-sweep.ts';

describe('the recordings sweep while Asterisk is away', () => {
  it('warns once when ARI is unreachable, stays quiet on the next runs, says once when it is back, and fails on other errors', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = createLogger({ level: 'debug', pretty: false }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    let outcome: () => number = () => {
      throw new AriFetchRetry('GET /stored: ARI at http://127.0.0.1:1 unreachable (ECONNREFUSED)');
    };
    const sweep = quietWhileAsteriskAway(async () => outcome(), logger);

    for (let i = 0; i < 3; i++) expect(await sweep()).toBe(0);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[40, 'Asterisk not reachable: the recordings sweep waits for it (quietly, every run)']]);

    outcome = () => 2;
    expect(await sweep()).toBe(2);
    expect(await sweep()).toBe(2);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 30, msg: 'Asterisk reachable again: the recordings sweep runs again' });

    outcome = () => {
      throw new Error('relation "telephony.calls" does not exist');
    };
    await expect(sweep()).rejects.toThrow('does not exist');
  });
});
