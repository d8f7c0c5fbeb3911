import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/load.ts';
import { prettyLogs } from './logger.ts';

describe('log format', () => {
  it('is human-readable on a terminal and JSON lines into a pipe, unless LOG_PRETTY says otherwise', () => {
    const unset = loadConfig({ env: {}, cwd: process.cwd() }).log;
    expect(prettyLogs(unset, true)).toBe(true);
    expect(prettyLogs(unset, false)).toBe(false);
    expect(prettyLogs(loadConfig({ env: { LOG_PRETTY: 'false' }, cwd: process.cwd() }).log, true)).toBe(false);
    expect(prettyLogs(loadConfig({ env: { LOG_PRETTY: 'true' }, cwd: process.cwd() }).log, false)).toBe(true);
  });
});
