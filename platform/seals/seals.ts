import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Config } from '../config/schema.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { appendCheckpoint, type Checkpoint, type Head, type Heads } from './checkpoints.ts';
import { HeadLog, headLogDir } from './head-log.ts';
import { generateKeyFile, readSigner, readVerifier, type SealSigner, type SealVerifier } from './keys.ts';

/** The database's name: a checkpoint file may serve several (test databases, a staging copy); each line names its own. */
export async function databaseName(db: Db): Promise<string> {
  const { rows } = await db.execute<{ name: string }>(sql`select current_database() as name`);
  return rows[0]!.name;
}

/** A domain's chain heads as the database has them now (chain key → head). */
export type HeadsProvider = (db: Db) => Promise<Record<string, Head>>;

/** What a domain's writer seals with: the key, and the head log its seals go to once in the database (if any). */
export interface Sealing {
  readonly signer: SealSigner;
  readonly headLog: HeadLog | null;
}

/**
 * The process's seal key, checkpoint file and head log. Built once by the composition root; the domains' writers
 * take the signer and the head log from it, and each domain adds the reader of its chains' heads for the checkpoints.
 */
export class Seals implements Sealing {
  private readonly providers = new Map<string, HeadsProvider>();
  headLog: HeadLog | null = null;
  constructor(
    readonly signer: SealSigner,
    readonly checkpointFile: string,
  ) {}

  /**
   * Opens this process's head log for a database (head-log.ts) and names it in the checkpoint file, so that verify
   * expects it. One per process: the writers opened after it log there.
   */
  openHeadLog(database: string, logger: Logger): HeadLog {
    const log = new HeadLog(headLogDir(this.checkpointFile), database, logger);
    appendCheckpoint(this.checkpointFile, this.signer, database, {}, 'head log opened', new Date(), log.name);
    this.headLog = log;
    return log;
  }

  get verifier(): SealVerifier {
    return this.signer.verifier;
  }

  addHeads(domain: string, provider: HeadsProvider): void {
    this.providers.set(domain, provider);
  }

  /** Reads every domain's heads and appends one signed checkpoint line. */
  async checkpoint(db: Db, reason: string, now = new Date()): Promise<Checkpoint> {
    const heads: Heads = {};
    for (const [domain, provider] of this.providers) heads[domain] = await provider(db);
    return appendCheckpoint(this.checkpointFile, this.signer, await databaseName(db), heads, reason, now);
  }
}

export interface SealPaths {
  keyFile: string;
  /** True when the key file is the data dir's default (no HOTLINE_SEAL_KEY_FILE). */
  defaulted: boolean;
  publicKeyFile: string | null;
  checkpointFile: string;
}

export function sealPaths(config: Pick<Config, 'seals' | 'dataDir'>): SealPaths {
  const dir = join(resolve(config.dataDir), 'seals');
  return {
    keyFile: config.seals.keyFile ?? join(dir, 'seal-key.pem'),
    defaulted: config.seals.keyFile === undefined,
    publicKeyFile: config.seals.publicKeyFile ?? null,
    checkpointFile: config.seals.checkpointFile ?? join(dir, 'checkpoints.jsonl'),
  };
}

/**
 * Loads the key named in the configuration. With none named, outside production, the data dir's key is used,
 * and made at first start (logged at warn: a key in the data dir sits beside the database's files).
 */
export function openSeals(config: Pick<Config, 'seals' | 'dataDir'>, logger: Logger): Seals {
  const paths = sealPaths(config);
  if (paths.defaulted && !existsSync(paths.keyFile)) {
    if (process.env.NODE_ENV === 'production') {
      throw new Error('HOTLINE_SEAL_KEY_FILE is not set: in production the seal key must be a file outside the database and the data dir. Make one with: openssl genpkey -algorithm ed25519 -out /etc/hotline/seal-key.pem');
    }
    let signer: SealSigner;
    try {
      signer = generateKeyFile(paths.keyFile);
    } catch (err) {
      // Another process of this data dir made it first.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return new Seals(readSigner(paths.keyFile), paths.checkpointFile);
    }
    logger.warn({ keyFile: paths.keyFile, keyId: signer.keyId }, 'no seal key configured (HOTLINE_SEAL_KEY_FILE): made a new one in the data dir; for production keep it outside the data dir and set HOTLINE_SEAL_KEY_FILE');
    return new Seals(signer, paths.checkpointFile);
  }
  const signer = readSigner(paths.keyFile);
  logger.info({ keyId: signer.keyId, checkpointFile: paths.checkpointFile }, 'seal key loaded');
  return new Seals(signer, paths.checkpointFile);
}

/** The verifier for `npm run verify`: the public key file, else the key file's public half. */
export function openVerifier(config: Pick<Config, 'seals' | 'dataDir'>): { verifier: SealVerifier; checkpointFile: string } {
  const paths = sealPaths(config);
  const file = paths.publicKeyFile ?? (existsSync(`${paths.keyFile}.pub`) && !existsSync(paths.keyFile) ? `${paths.keyFile}.pub` : paths.keyFile);
  if (!existsSync(file)) throw new Error(`no seal key to verify with: ${file} does not exist (set HOTLINE_SEAL_PUBLIC_KEY_FILE or HOTLINE_SEAL_KEY_FILE)`);
  return { verifier: readVerifier(file), checkpointFile: paths.checkpointFile };
}

/** Writes a checkpoint every `minutes` (the workers' job); returns the stop. A failure is logged at error and retried next time. */
export function startCheckpoints(seals: Seals, db: Db, minutes: number, logger: Logger): () => void {
  const timer = setInterval(() => {
    seals.checkpoint(db, 'scheduled').then(
      (cp) => logger.info({ n: cp.n }, 'seal checkpoint written'),
      (err: unknown) => logger.error({ err }, 'seal checkpoint could not be written'),
    );
  }, minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
