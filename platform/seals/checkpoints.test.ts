import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../db/migration-sets.ts';
import { appendCheckpoint, readCheckpoints } from './checkpoints.ts';
import { generateKeyFile } from './keys.ts';
import { merkleRoot } from './canonical.ts';

const dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyFile = join(dir, 'key.pem');
const signer = generateKeyFile(keyFile);

describe('the checkpoint file', () => {
  it('keeps, per chain, the furthest head of its own database, and names a removed or edited line', () => {
    const file = join(dir, 'one.jsonl');
    appendCheckpoint(file, signer, 'db1', { tickets: { a: { seq: 3, hash: 'x' } } }, 'test');
    appendCheckpoint(file, signer, 'db2', { tickets: { a: { seq: 9, hash: 'z' } } }, 'test');
    appendCheckpoint(file, signer, 'db1', { tickets: { a: { seq: 5, hash: 'y' }, b: { seq: 1, hash: 'w' } } }, 'test');
    const read = readCheckpoints(file, signer.verifier, 'db1');
    expect(read).toMatchObject({ ok: true, count: 2, others: 1, heads: { tickets: { a: { seq: 5, hash: 'y' }, b: { seq: 1, hash: 'w' } } } });
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [lines[0], lines[2], ''].join('\n'));
    expect(readCheckpoints(file, signer.verifier, 'db1')).toMatchObject({ ok: false, line: 2, problem: expect.stringMatching(/numbered 3, expected 2/) });
    writeFileSync(file, [lines[0], lines[1]!.replace('"seq":9', '"seq":1'), lines[2], ''].join('\n'));
    expect(readCheckpoints(file, signer.verifier, 'db1')).toMatchObject({ ok: false, line: 2, problem: expect.stringMatching(/signature does not verify/) });
  });

  it('takes lines from several processes at once, each numbered and chained', async () => {
    const file = join(dir, 'shared.jsonl');
    const run = () =>
      new Promise<number | null>((resolve) =>
        spawn(process.execPath, ['--import', 'tsx', 'platform/seals/test/append-checkpoints.ts'], { cwd: repoRoot, env: { ...process.env, KEY_FILE: keyFile, CHECKPOINT_FILE: file, CHECKPOINTS: '15' }, stdio: 'inherit' }).on('exit', resolve),
      );
    expect(await Promise.all([run(), run(), run()])).toEqual([0, 0, 0]);
    expect(readCheckpoints(file, signer.verifier, 'db')).toMatchObject({ ok: true, count: 45 });
  });

  it('Merkle roots: one leaf is its own root, an odd leaf is carried up, order matters', () => {
    expect(merkleRoot(['a'.repeat(64)])).toBe('a'.repeat(64));
    expect(merkleRoot(['1', '2', '3'])).not.toBe(merkleRoot(['2', '1', '3']));
  });
});
