import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.ts';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'hotline-config-'));

function errorOf(env: Record<string, string>, cwd = emptyDir()): ConfigError {
  try {
    loadConfig({ env, cwd });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives embedded defaults when nothing is set', () => {
    const config = loadConfig({ env: {}, cwd: emptyDir() });
    expect(config.roles).toEqual(['api', 'telephony', 'workers']);
    expect(config.database.url).toBeUndefined();
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.redis.autostart).toBe(true);
    expect(config.http.port).toBe(8368);
  });

  it('reads the environment, coercing numbers, booleans and lists', () => {
    const config = loadConfig({
      env: { HOTLINE_PORT: '9000', REDIS_AUTOSTART: 'no', HOTLINE_ROLES: 'workers, api,workers', DATABASE_URL: 'postgres://u@h/db' },
      cwd: emptyDir(),
    });
    expect(config.http.port).toBe(9000);
    expect(config.redis.autostart).toBe(false);
    expect(config.roles).toEqual(['workers', 'api']);
    expect(config.database.url).toBe('postgres://u@h/db');
  });

  it('reads hotline.config.json, and the environment overrides it', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'hotline.config.json'), JSON.stringify({ http: { port: 7000, host: '0.0.0.0' }, ari: { app: 'court1' } }));
    const config = loadConfig({ env: { HOTLINE_PORT: '7001' }, cwd });
    expect(config.http).toEqual({ host: '0.0.0.0', port: 7001, trustProxy: false, allowedOrigins: [] });
    expect(config.ari.app).toBe('court1');
  });

  it.each([
    ['HOTLINE_PORT', 'abc', 'a port number'],
    ['HOTLINE_PORT', '70000', 'a port number'],
    ['HOTLINE_ROLES', 'api,dialer', 'a comma-separated list of api, telephony, workers'],
    ['DATABASE_URL', 'mysql://x', 'postgres://'],
    ['DATABASE_POOL_SIZE', '0', 'a whole number from 1 to 200'],
    ['REDIS_URL', 'localhost:6379', 'redis://host:6379'],
    ['REDIS_AUTOSTART', 'maybe', 'true or false'],
    ['REDIS_PREFIX', 'a b', 'letters, digits'],
    ['ARI_URL', 'ws://x', 'the Asterisk HTTP server'],
    ['LOG_LEVEL', 'loud', 'one of fatal'],
    ['HOTLINE_SHUTDOWN_TIMEOUT_MS', '-5', 'milliseconds'],
  ])('%s=%s stops start-up with a message naming the variable and the fix', (name, value, hint) => {
    const err = errorOf({ [name]: value });
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toContain(`${name}="${value}"`);
    expect(err.problems[0]).toContain(`Fix: set ${name} to`);
    expect(err.problems[0]).toContain(hint);
  });

  it('reports every bad value at once', () => {
    const err = errorOf({ HOTLINE_PORT: 'x', LOG_LEVEL: 'y' });
    expect(err.problems.map((p) => p.split('=')[0])).toEqual(expect.arrayContaining(['HOTLINE_PORT', 'LOG_LEVEL']));
    expect(err.message).toMatch(/^The hotline cannot start/);
  });

  it('names the file and key for a bad value in the config file', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'hotline.config.json'), JSON.stringify({ http: { port: 'high' } }));
    const [problem] = errorOf({}, cwd).problems;
    expect(problem).toContain('hotline.config.json: "http.port"');
    expect(problem).toContain('Fix: set HOTLINE_PORT to');
  });

  it('rejects unknown keys in the config file', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'hotline.config.json'), JSON.stringify({ htp: { port: 1 } }));
    expect(errorOf({}, cwd).problems[0]).toContain('unknown key(s) "htp"');
  });

  it('rejects a config file that is not JSON', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'hotline.config.json'), '{ port: 1');
    expect(errorOf({}, cwd).problems[0]).toContain('not valid JSON');
  });

  it('rejects HOTLINE_CONFIG naming a missing file', () => {
    expect(errorOf({ HOTLINE_CONFIG: 'nope.json' }).problems[0]).toContain('HOTLINE_CONFIG="nope.json": no such file');
  });
});
