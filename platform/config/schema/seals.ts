import { z } from 'zod';

/** The seal key and checkpoints of the records (platform/seals). */
export const sealsSchema = z
  .object({
    /** The Ed25519 private key (PEM) that seals the records; when unset, <dataDir>/seals/seal-key.pem (made at first start, not in production). */
    keyFile: z.string().min(1).optional(),
    /** The public key verify uses (PEM); when unset, the key file's own public half. */
    publicKeyFile: z.string().min(1).optional(),
    /** The append-only file of signed checkpoints; default <dataDir>/seals/checkpoints.jsonl. */
    checkpointFile: z.string().min(1).optional(),
    /** How often the workers write a checkpoint of every chain's head. */
    checkpointMinutes: z.coerce.number().int().min(1).max(60).default(60),
  })
  .prefault({});

export const sealsEnv = {
  'seals.keyFile': 'HOTLINE_SEAL_KEY_FILE',
  'seals.publicKeyFile': 'HOTLINE_SEAL_PUBLIC_KEY_FILE',
  'seals.checkpointFile': 'HOTLINE_SEAL_CHECKPOINT_FILE',
  'seals.checkpointMinutes': 'HOTLINE_SEAL_CHECKPOINT_MINUTES',
} as const;

export const sealsHints: Record<keyof typeof sealsEnv, string> = {
  'seals.keyFile': 'a file with an Ed25519 private key in PEM, e.g. made by: openssl genpkey -algorithm ed25519 -out /etc/hotline/seal-key.pem',
  'seals.publicKeyFile': 'a file with the seal key\'s public half in PEM (openssl pkey -in seal-key.pem -pubout)',
  'seals.checkpointFile': 'a file path outside the database, e.g. /var/lib/hotline/seals/checkpoints.jsonl',
  'seals.checkpointMinutes': 'a whole number of minutes from 1 to 60',
};
