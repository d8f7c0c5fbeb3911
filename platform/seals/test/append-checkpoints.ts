/** Appends CHECKPOINTS lines to CHECKPOINT_FILE with the key in KEY_FILE: one of several processes sharing the file. */
import { appendCheckpoint } from '../checkpoints.ts';
import { readSigner } from '../keys.ts';

const signer = readSigner(process.env.KEY_FILE!);
for (let i = 0; i < Number(process.env.CHECKPOINTS ?? 10); i++) {
  appendCheckpoint(process.env.CHECKPOINT_FILE!, signer, 'db', { tickets: { [`court-${process.pid}`]: { seq: i + 1, hash: 'a'.repeat(64) } } }, 'test');
}
