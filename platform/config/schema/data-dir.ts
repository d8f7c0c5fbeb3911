import { z } from 'zod';

/** Where the process keeps its files. */
export const dataDirSchema = z.string().min(1).default('./data');

export const dataDirEnv = {
  dataDir: 'HOTLINE_DATA_DIR',
} as const;

export const dataDirHints: Record<keyof typeof dataDirEnv, string> = {
  dataDir: 'a writable directory, e.g. ./data',
};
