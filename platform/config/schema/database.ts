import { z } from 'zod';
import { url } from './values.ts';

/** PostgreSQL (or the embedded PGlite). */
export const databaseSchema = z
  .object({
    /** PostgreSQL URL; when absent the service runs on embedded PGlite under dataDir. */
    url: url(['postgres:', 'postgresql:']).optional(),
    poolSize: z.coerce.number().int().min(1).max(200).default(10),
  })
  .prefault({});

export const databaseEnv = {
  'database.url': 'DATABASE_URL',
  'database.poolSize': 'DATABASE_POOL_SIZE',
} as const;

export const databaseHints: Record<keyof typeof databaseEnv, string> = {
  'database.url': 'postgres://user:password@host:5432/dbname, or unset it to use the embedded database',
  'database.poolSize': 'a whole number from 1 to 200',
};
