/**
 * Controller restart benchmark: `npx tsx bench/telephony-restart.ts` (PostgreSQL and Redis as for the tests).
 * The controller runs as its own process (compiled, as npm start runs it) against the ARI stand-in in this
 * process. With BENCH_LIVE (500) live calls — half bridged with operators, half waiting in the queue — it is
 * killed with SIGKILL and a new one started: timed from the new process's spawn to ARI connected and to the
 * reconcile that took every call over. Baseline, in the same run: the same restart with no live call.
 * Writes its section of docs/performance.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startAriSim, type AriSim, type CallHandle } from '../telephony/ari-sim/index.ts';
import { ControllerProcess } from '../telephony/test/controller-process.ts';
import { promptSounds, soundsDir } from '../telephony/test/over-sim.ts';
import { adminQuery, databaseUrl, uniqueName } from '../test/harness/postgres.ts';
import { testRedisUrl } from '../test/harness/redis.ts';
import { openDatabase } from '../platform/db/client.ts';
import { createLogger } from '../platform/logger.ts';
import { machineLoadNote, writePerformanceSection } from './write-section.ts';
import { startHotline } from '../hotline.ts';
import { loadConfig } from '../platform/config/load.ts';
import { serviceOf } from '../platform/deps.ts';
import '../telephony/plugin.ts';

const machineNote = await machineLoadNote();

const live = Number(process.env.BENCH_LIVE ?? 500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Restart {
  /** Spawn → ARI event websocket connected. */
  connectedMs: number;
  /** Spawn → the reconcile that took the calls over has finished. */
  reconciledMs: number;
  /** The reconcile alone, as the controller measured it. */
  reconcileMs: number;
  adopted: number;
}

async function restart(env: Record<string, string>, killFirst: ControllerProcess | undefined): Promise<{ timing: Restart; controller: ControllerProcess }> {
  if (killFirst) await killFirst.kill();
  const spawnedAt = Date.now();
  const controller = await ControllerProcess.start(env);
  const connected = await controller.logged((l) => l.msg === 'ARI connected', 60_000);
  const reconciled = await controller.logged((l) => l.msg === 'reconciled calls with ARI', 60_000);
  if (process.env.BENCH_VERBOSE) console.log(reconciled);
  return {
    controller,
    timing: {
      connectedMs: Number(connected.time) - spawnedAt,
      reconciledMs: Number(reconciled.time) - spawnedAt,
      reconcileMs: Number(reconciled.durationMs),
      adopted: Number(reconciled.adopted) + Number(reconciled.unknown),
    },
  };
}

async function placeLive(sim: AriSim, n: number): Promise<CallHandle[]> {
  const calls: CallHandle[] = [];
  for (let i = 0; i < n; i++) {
    const call = await sim.placeCall({ from: `1360${String(i).padStart(7, '0')}` });
    calls.push(call);
    if (i % 50 === 49) await sleep(50);
  }
  for (const [i, call] of calls.entries()) {
    const deadline = Date.now() + 30_000;
    while (call.state !== 'Up') {
      if (Date.now() > deadline) throw new Error(`call ${i} was not answered within 30 s`);
      await sleep(10);
    }
    await call.pressDigits(i % 2 === 0 ? '0' : '2', { durationMs: 1 });
  }
  return calls;
}

async function main(): Promise<void> {
  const dbName = uniqueName('hotline_bench_restart');
  await adminQuery(`create database ${dbName}`);
  const url = databaseUrl(dbName);
  const migrator = await openDatabase({ url, poolSize: 1, dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
  await migrator.migrate();
  await migrator.close();
  const pgc = new pg.Client({ connectionString: url });
  await pgc.connect();
  const sim = await startAriSim({ app: 'hotline12368', username: 'hotline', password: 'hotline', channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'], sounds: promptSounds(600_000), eventLogLimit: 100 });
  const courtId = randomUUID();
  await pgc.query(`insert into platform.courts (id, code, name) values ($1, 'R01', '基准法院')`, [courtId]);
  // Operators for half the calls; their softphones answer, so those calls are bridged.
  const redis = new Redis(testRedisUrl);
  const prefix = uniqueName('benchrestart');
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-bench-restart-'));
  const env = {
    DATABASE_URL: url,
    REDIS_PREFIX: prefix,
    HOTLINE_DATA_DIR: dataDir,
    ARI_URL: sim.url,
    ARI_USERNAME: 'hotline',
    ARI_PASSWORD: 'hotline',
    TELEPHONY_SOUNDS_DIR: soundsDir,
    TELEPHONY_MAX_WAIT_SECONDS: '3600',
    TELEPHONY_POSITION_FIRST_SECONDS: '600',
    TELEPHONY_POSITION_EVERY_SECONDS: '600',
    TELEPHONY_WRAP_UP_SECONDS: '0',
  };
  const controllers: ControllerProcess[] = [];
  try {
    // Baseline: restarts with nothing live.
    const baseline: Restart[] = [];
    let current: ControllerProcess | undefined;
    for (let r = 0; r < rounds; r++) {
      const next = await restart(env, current);
      controllers.push(next.controller);
      current = next.controller;
      baseline.push(next.timing);
    }
    // An api process in this one puts the operators ready (presence lives in Redis) and reads the queue.
    const api = await startHotline(
      loadConfig({ env: { HOTLINE_PORT: '0', HOTLINE_ROLES: 'api', REDIS_URL: testRedisUrl, REDIS_AUTOSTART: 'false', LOG_LEVEL: 'silent', ...env, HOTLINE_DATA_DIR: join(dataDir, 'api') } }),
      createLogger({ level: 'silent', pretty: false }),
    );
    const service = serviceOf(api.deps, 'telephony');
    for (let i = 0; i < live / 2; i++) {
      const id = randomUUID();
      const endpoint = `op${8000 + i}`;
      await pgc.query(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ($1, $2, $3, $4, 'operator', $5)`, [id, courtId, `b-${endpoint}`, `话务员${i}`, endpoint]);
      sim.endpoint(endpoint).register().answerAfter(10);
      await service.setPresence(id, 'ready');
    }
    const calls = await placeLive(sim, live);
    for (;;) {
      const bridges = sim.bridges().filter((b) => b.channels.length === 2).length;
      const waiting = (await service.queueSnapshot(courtId)).waiting.length;
      if (bridges === live / 2 && waiting === live / 2) break;
      await sleep(100);
    }
    if (process.env.BENCH_VERBOSE) {
      const states = Object.values(await redis.hgetall(`${prefix}:tel:live-calls`)).map((t) => JSON.parse(t).state);
      console.log('saved', states.length, states.map((x: any) => `${x.phase}:${x.bridgeId ?? '-'}`).sort().join(' '));
      console.log('bridges', sim.bridges().map((b) => `${b.id}:${b.channels.length}`).join(' '));
    }
    const withCalls: Restart[] = [];
    for (let r = 0; r < rounds; r++) {
      const next = await restart(env, current);
      controllers.push(next.controller);
      current = next.controller;
      withCalls.push(next.timing);
      if (next.timing.adopted !== live) throw new Error(`the restart took over ${next.timing.adopted} of ${live} calls`);
    }
    const stillBridged = sim.bridges().filter((b) => b.channels.length === 2).length;
    for (const c of calls) c.hangup();
    await api.stop();
    const median = (xs: Restart[], k: keyof Restart) => [...xs].map((x) => x[k]).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const b = { connected: median(baseline, 'connectedMs'), reconciled: median(baseline, 'reconciledMs'), reconcile: median(baseline, 'reconcileMs') };
    const w = { connected: median(withCalls, 'connectedMs'), reconciled: median(withCalls, 'reconciledMs'), reconcile: median(withCalls, 'reconcileMs') };
    console.log({ baseline, withCalls, stillBridged });
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const file = writePerformanceSection(
      'telephony-restart',
      `## Telephony: a controller killed and restarted with ${live} live calls

Run with \`npx tsx bench/telephony-restart.ts\` (${when} UTC, this machine: ${machineNote}; load average at the end
${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}). The controller is its own process (compiled, as \`npm start\` runs it) against the ARI stand-in;
${live} live calls, half bridged with an operator and half waiting in the queue. Each round kills the controller with
SIGKILL and spawns a new one; times from the spawn (medians of ${rounds} rounds). The baseline is the same restart with
no live call, in the same run.

| | spawn → ARI connected (ms) | spawn → reconciled (ms) | reconcile itself (ms) |
|---|---|---|---|
| no live call (baseline) | ${b.connected} | ${b.reconciled} | ${b.reconcile} |
| ${live} live calls | ${w.connected} | ${w.reconciled} | ${w.reconcile} |

Every round took over all ${live} calls; ${stillBridged} of ${live / 2} bridges were still up after the last round.
**Back and reconciled in ${(w.reconciled / 1000).toFixed(1)} s** (target ≤ 5 s: ${w.reconciled <= 5000 ? 'met' : '**missed**'});
${(w.reconciled / Math.max(b.reconciled, 1)).toFixed(2)}× the empty restart.`,
    );
    console.log(`wrote ${file}`);
  } finally {
    for (const c of controllers) await c.stop();
    await sim.stop();
    await pgc.end();
    await adminQuery(`drop database if exists ${dbName} with (force)`);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
