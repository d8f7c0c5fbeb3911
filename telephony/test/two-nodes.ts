import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterFile } from '../../test/harness/after-file.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useRedisPrefix } from '../../test/harness/redis.ts';
import { startAriSim, type AriSim } from '../ari-sim/index.ts';
import { promptSounds, soundsDir } from './over-sim.ts';

export interface TwoNodes {
  sim1: AriSim;
  sim2: AriSim;
  databaseUrl: string;
  /** A connection of the test's own, for setting rows up and reading records. */
  pgc: pg.Client;
  /** A court answering 12368. */
  courtId: string;
  prefix: string;
  /** What every controller of the file starts with (both nodes, their credentials, the lease); each adds its role and settings. */
  env: Record<string, string>;
}

/**
 * Two ARI stand-ins as two Asterisk nodes over one test database and Redis prefix, with a court answering 12368:
 * the ground the multi-node tests share. `sounds`: what the stand-ins can play (default: the prompts); `leaseMs`:
 * the node lease (default 1500 ms, so a dead holder's node is taken over quickly; null: the product's default).
 */
export async function useTwoNodes(o: { sounds?: Record<string, number>; leaseMs?: number | null } = {}): Promise<TwoNodes> {
  const sims: AriSim[] = [];
  for (let i = 0; i < 2; i++) {
    const sim = await startAriSim({ app: 'hotline12368', username: 'hotline', password: 'hotline', channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'], sounds: o.sounds ?? promptSounds(60) });
    afterFile(() => sim.stop());
    sims.push(sim);
  }
  const [sim1, sim2] = sims as [AriSim, AriSim];
  const databaseUrl = await useTestDatabase();
  const pgc = new pg.Client({ connectionString: databaseUrl });
  await pgc.connect();
  afterFile(() => pgc.end());
  const courtId = randomUUID();
  await pgc.query(`insert into platform.courts (id, code, name) values ($1, 'T01', '测试法院')`, [courtId]);
  await pgc.query(`insert into telephony.hotline_numbers (number, court_id) values ('12368', $1)`, [courtId]);
  const prefix = useRedisPrefix();
  const leaseMs = o.leaseMs === undefined ? 1500 : o.leaseMs;
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: prefix,
    ARI_NODES: `node1=${sim1.url},node2=${sim2.url}`,
    ...(leaseMs === null ? {} : { ARI_NODE_LEASE_MS: String(leaseMs) }),
    ARI_USERNAME: 'hotline',
    ARI_PASSWORD: 'hotline',
    TELEPHONY_SOUNDS_DIR: soundsDir,
  };
  return { sim1, sim2, databaseUrl, pgc, courtId, prefix, env };
}
