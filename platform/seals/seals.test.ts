import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { generateKeyFile, readSigner } from './keys.ts';
import { openSeals, openVerifier } from './seals.ts';

const dir = mkdtempSync(join(tmpdir(), 'seal-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', pretty: false }, new Writable({ write: (chunk, _e, done) => void (lines.push(String(chunk)), done()) }));
  return { logger, lines };
}

describe('the seal key', () => {
  it('with none configured, is made in the data dir at first start and the log says so; then the same key is read', () => {
    const dataDir = join(dir, 'data');
    const config = { dataDir, seals: { checkpointMinutes: 60 } };
    const first = capture();
    const made = openSeals(config, first.logger);
    expect(existsSync(join(dataDir, 'seals', 'seal-key.pem'))).toBe(true);
    expect(first.lines.join('')).toMatch(/no seal key configured \(HOTLINE_SEAL_KEY_FILE\): made a new one in the data dir/);
    expect(made.checkpointFile).toBe(join(dataDir, 'seals', 'checkpoints.jsonl'));
    const again = openSeals(config, capture().logger);
    expect(again.signer.keyId).toBe(made.signer.keyId);
    expect(openVerifier(config).verifier.keyId).toBe(made.signer.keyId);
  });

  it('in production, an unset key file stops the start with the fix', () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => openSeals({ dataDir: join(dir, 'prod'), seals: { checkpointMinutes: 60 } }, capture().logger)).toThrow(/HOTLINE_SEAL_KEY_FILE is not set.*openssl genpkey -algorithm ed25519/);
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it('a configured key file is read; one that is not an Ed25519 PEM names the file and the fix; verify can use the public half alone', () => {
    const keyFile = join(dir, 'mine.pem');
    const signer = generateKeyFile(keyFile);
    expect(readSigner(keyFile).keyId).toBe(signer.keyId);
    expect(() => readSigner(join(dir, 'missing.pem'))).toThrow(/missing.pem cannot be read as a PEM private key.*openssl genpkey/);
    const verifier = openVerifier({ dataDir: dir, seals: { keyFile: join(dir, 'elsewhere.pem'), publicKeyFile: `${keyFile}.pub`, checkpointMinutes: 60 } }).verifier;
    expect(verifier.verify('x', signer.sign('x'))).toBe(true);
    expect(verifier.verify('y', signer.sign('x'))).toBe(false);
  });
});
