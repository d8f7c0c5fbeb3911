/**
 * Telephony benchmark: `npx tsx --expose-gc bench/telephony-setup.ts` (needs PostgreSQL and Redis as for the tests).
 * Calls go through the ARI stand-in (in this process) at a fixed arrival rate, to the hotline's controller
 * and, in alternating rounds, to a bare ari-client script doing the same ARI requests (answer, two channel
 * variables, menu prompt; on the digit: stop it, position prompt, originate the operator's endpoint; hang the
 * leg up when the caller leaves). Each simulated caller presses 0 as soon as the call is answered and hangs
 * up once the operator's phone rings. Latency: from the caller's StasisStart to the Dial that starts ringing
 * the operator, both as the stand-in emits them. Then 1,000 callers wait in the queue at once: process RSS.
 * Writes its section of docs/performance.md.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import ari from 'ari-client';
import { startHotline } from '../hotline.ts';
import { loadConfig } from '../platform/config/load.ts';
import { openDatabase } from '../platform/db/client.ts';
import { repoRoot } from '../platform/db/migration-sets.ts';
import { createLogger } from '../platform/logger.ts';
import { adminQuery, databaseUrl, uniqueName } from '../test/harness/postgres.ts';
import { testRedisUrl } from '../test/harness/redis.ts';
import { startAriSim, type AriSim } from '../telephony/ari-sim/index.ts';
import { prompts } from '../telephony/menu.ts';
import '../telephony/plugin.ts';
import { serviceOf } from '../platform/deps.ts';

const rate = Number(process.env.BENCH_RATE ?? 250);
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const operatorCount = Number(process.env.BENCH_OPERATORS ?? 200);
const heldCalls = Number(process.env.BENCH_HELD ?? 1000);
const silent = createLogger({ level: 'silent', pretty: false });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RoundResult {
  setupsPerSecond: number;
  p50: number;
  p99: number;
  lost: number;
}

/** Places calls, plays the caller (0 on answer, hang up once the operator rings) and times arrival → ring. */
class Driver {
  private seq = 0;
  private readonly arrived = new Map<string, number>();
  private readonly ringAt = new Map<string, number>();
  private readonly waitingUp = new Map<string, () => void>();

  constructor(private readonly sim: AriSim) {
    sim.onEvent(({ event }) => {
      const e = event as any;
      if (e.type === 'StasisStart' && e.channel.name.startsWith('PJSIP/trunk')) this.arrived.set(e.channel.caller.number, performance.now());
      else if (e.type === 'ChannelStateChange' && e.channel.state === 'Up') this.waitingUp.get(e.channel.id)?.();
      else if (e.type === 'Dial' && e.dialstatus === '' && !this.ringAt.has(e.peer.caller.number)) this.ringAt.set(e.peer.caller.number, performance.now());
    });
  }

  async round(app: string, perSecond: number, durationS: number): Promise<RoundResult> {
    const total = Math.round(perSecond * durationS);
    const numbers: string[] = [];
    const done: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const number = `139${String(++this.seq).padStart(8, '0')}`;
      numbers.push(number);
      done.push(this.oneCall(app, number));
    }
    await Promise.all(done);
    const latencies: number[] = [];
    let lastRing = start;
    for (const n of numbers) {
      const a = this.arrived.get(n);
      const r = this.ringAt.get(n);
      if (a !== undefined && r !== undefined) {
        latencies.push(r - a);
        lastRing = Math.max(lastRing, r);
      }
      this.arrived.delete(n);
      this.ringAt.delete(n);
    }
    latencies.sort((x, y) => x - y);
    const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    await sleep(300);
    return { setupsPerSecond: (latencies.length * 1000) / (lastRing - start), p50: pick(0.5), p99: pick(0.99), lost: total - latencies.length };
  }

  private async oneCall(app: string, number: string): Promise<void> {
    const call = await this.sim.placeCall({ from: number, app });
    if (!call.accepted || !call.channelId) return;
    const up = new Promise<void>((resolve) => this.waitingUp.set(call.channelId!, resolve));
    await Promise.race([up, sleep(5000)]);
    this.waitingUp.delete(call.channelId);
    await call.pressDigits('0', { durationMs: 1 }).catch(() => undefined);
    const deadline = performance.now() + 5000;
    while (!this.ringAt.has(number) && performance.now() < deadline) await sleep(2);
    call.hangup();
  }

  /** Places n calls that each choose enquiries and then wait (no operator is ready). */
  async holdMany(n: number) {
    const calls = [];
    for (let i = 0; i < n; i++) {
      const call = await this.sim.placeCall({ from: `137${String(i).padStart(8, '0')}` });
      const up = new Promise<void>((resolve) => this.waitingUp.set(call.channelId!, resolve));
      calls.push({ call, up });
      if (i % 50 === 49) await sleep(20);
    }
    for (const { call, up } of calls) {
      await Promise.race([up, sleep(5000)]);
      await call.pressDigits('2', { durationMs: 1 }).catch(() => undefined);
    }
    return calls.map((c) => c.call);
  }
}

/** The baseline: the same ARI requests from a bare ari-client script, no state, no Redis, no records. */
async function startBareClient(sim: AriSim, endpoints: number) {
  const client = await ari.connect(sim.url, 'hotline', 'hotline');
  const app = 'barebench';
  const legs = new Map<string, string>();
  const playing = new Map<string, string>();
  let next = 0;
  const quiet = (p: Promise<unknown>) => void p.catch(() => undefined);
  client.on('StasisStart', (event: any, channel: any) => {
    if (event.args[0] === 'operator') return;
    const id = channel.id as string;
    const playbackId = `${id}-p1`;
    playing.set(id, playbackId);
    void (async () => {
      await client.channels.answer({ channelId: id });
      await client.channels.setChannelVar({ channelId: id, variable: 'HOTLINE_CALL_ID', value: randomUUID() });
      await client.channels.setChannelVar({ channelId: id, variable: 'COURT_ID', value: randomUUID() });
      await client.channels.play({ channelId: id, playbackId, media: 'sound:/snd/zh/welcome,sound:/snd/zh/menu' });
    })().catch(() => undefined);
  });
  client.on('ChannelDtmfReceived', (_event: any, channel: any) => {
    const id = channel.id as string;
    const leg = `${id}-op1`;
    legs.set(id, leg);
    void (async () => {
      await client.playbacks.stop({ playbackId: playing.get(id)! }).catch(() => undefined);
      await client.channels.play({ channelId: id, playbackId: `${id}-p2`, media: 'sound:/snd/zh/position-ahead' }).catch(() => undefined);
      await client.channels.originate({
        endpoint: `PJSIP/op${7000 + (next++ % endpoints)}`,
        app,
        appArgs: 'operator',
        callerId: channel.caller.number,
        timeout: 25,
        channelId: leg,
        variables: { HOTLINE_CALL_ID: randomUUID(), COURT_ID: randomUUID() },
      });
    })().catch(() => undefined);
  });
  client.on('StasisEnd', (_event: any, channel: any) => {
    const leg = legs.get(channel.id);
    legs.delete(channel.id);
    playing.delete(channel.id);
    if (leg) quiet(client.channels.hangup({ channelId: leg }));
  });
  await client.start(app);
  while (!sim.isConnected(app)) await sleep(10);
  return { close: () => (client as any).stop?.() };
}

function writeSection(r: { base: any; ctl: any; ratio: number; held: any; load: number[] }): void {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const ok = (v: boolean) => (v ? 'met' : '**missed**');
  const section = `<!-- telephony:start -->
## Telephony: call setup through the controller vs a bare ari-client script

Run with \`npx tsx --expose-gc bench/telephony-setup.ts\` (${when} UTC, this machine: ARI stand-in, controller and bare client in
one process; PostgreSQL and Redis local; ${rounds} alternating rounds of ${seconds} s per side at ${rate} arrivals/s after a 1 s
warm-up each, mean of the rounds; ${operatorCount} ready operators; load average at the end ${r.load.map((l) => l.toFixed(1)).join(' / ')} on a shared
2-core machine, so figures vary run to run). Each caller presses 0 once answered and hangs up when the operator's
phone rings. Latency: from the caller's StasisStart to the Dial that starts ringing the operator, as the stand-in emits
them. The baseline is a bare ari-client script sending the same ARI requests (answer, two channel variables, menu prompt;
on the digit: stop it, position prompt, originate) with no state, Redis or records.

| | call setups/s | p50 (ms) | p99 (ms) | calls not rung |
|---|---|---|---|---|
| bare ari-client | ${r.base.setups.toFixed(0)} | ${r.base.p50.toFixed(1)} | ${r.base.p99.toFixed(1)} | ${r.base.lost} |
| controller | ${r.ctl.setups.toFixed(0)} | ${r.ctl.p50.toFixed(1)} | ${r.ctl.p99.toFixed(1)} | ${r.ctl.lost} |
| **target** | ≥ 200: ${ok(r.ctl.setups >= 200)} | | ≤ 20: ${ok(r.ctl.p99 <= 20)} | |

**Overhead ratio (controller p99 / bare p99): ${r.ratio.toFixed(2)}×** (target ≤ 1.5×: ${ok(r.ratio <= 1.5)}).

Held calls: ${r.held.calls} callers waiting in the queue at once (answered, menu chosen, position announced, hold music),
process RSS ${r.held.rssMb.toFixed(0)} MB (${r.held.rssBeforeMb.toFixed(0)} MB before them), stand-in included (${r.held.simChannels} channels)
(target < 300 MB: ${ok(r.held.rssMb < 300)}).
<!-- telephony:end -->`;
  const file = join(repoRoot, 'docs/performance.md');
  let doc = readFileSync(file, 'utf8');
  const block = /<!-- telephony:start -->[\s\S]*<!-- telephony:end -->/;
  doc = block.test(doc) ? doc.replace(block, section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, doc);
  console.log(`wrote ${file}`);
}

async function main(): Promise<void> {
  const dbName = uniqueName('hotline_bench_tel');
  await adminQuery(`create database ${dbName}`);
  const url = databaseUrl(dbName);
  const migrator = await openDatabase({ url, poolSize: 1, dataDir: '', logger: silent });
  await migrator.migrate();
  await migrator.close();

  const sim = await startAriSim({
    app: 'hotline12368',
    username: 'hotline',
    password: 'hotline',
    channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'],
    sounds: Object.fromEntries(prompts.map((p) => [`/snd/zh/${p}`, 5000])),
    dtmfDurationMs: 1,
    eventLogLimit: 50,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-bench-'));
  const prefix = uniqueName('benchtel');
  const hotline = await startHotline(
    loadConfig({
      env: {
        HOTLINE_PORT: '0',
        HOTLINE_ROLES: 'telephony',
        REDIS_URL: testRedisUrl,
        REDIS_AUTOSTART: 'false',
        LOG_LEVEL: 'warn',
        DATABASE_URL: url,
        REDIS_PREFIX: prefix,
        HOTLINE_DATA_DIR: dataDir,
        ARI_URL: sim.url,
        TELEPHONY_SOUNDS_DIR: '/snd',
        TELEPHONY_MAX_WAIT_SECONDS: '600',
        TELEPHONY_MENU_TIMEOUT_SECONDS: '30',
        TELEPHONY_POSITION_EVERY_SECONDS: '600',
        TELEPHONY_WRAP_UP_SECONDS: '0',
      },
      cwd: repoRoot,
    }),
    createLogger({ level: 'warn', pretty: false }),
  );
  const rt = serviceOf(hotline.deps, 'telephonyRuntime');

  try {
    while (!rt.ari.connected) await sleep(20);
    const courtId = randomUUID();
    const { db } = hotline.deps;
    await db.execute(`insert into platform.courts (id, code, name) values ('${courtId}', 'B01', '基准法院')` as never);
    const operators: string[] = [];
    for (let i = 0; i < operatorCount; i++) {
      const id = randomUUID();
      const endpoint = `op${7000 + i}`;
      await db.execute(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ('${id}', '${courtId}', 'bench-${endpoint}', '话务员${i}', 'operator', '${endpoint}')` as never);
      sim.endpoint(endpoint).register().noAnswer();
      operators.push(id);
    }
    await rt.calendar.refresh();
    for (const id of operators) await rt.service.setPresence(id, 'ready');

    const bare = await startBareClient(sim, operatorCount);
    const driver = new Driver(sim);

    // Warm-up (JIT, pools), then alternate rounds so drift on a shared machine hits both sides alike.
    await driver.round('hotline12368', rate, 1);
    await driver.round('barebench', rate, 1);
    const runs: { controller: RoundResult[]; bare: RoundResult[] } = { controller: [], bare: [] };
    for (let r = 0; r < rounds; r++) {
      runs.bare.push(await driver.round('barebench', rate, seconds));
      runs.controller.push(await driver.round('hotline12368', rate, seconds));
    }
    const mean = (list: RoundResult[], key: keyof RoundResult) => list.reduce((a, x) => a + x[key], 0) / list.length;
    const summary = (list: RoundResult[]) => ({ setups: mean(list, 'setupsPerSecond'), p50: mean(list, 'p50'), p99: mean(list, 'p99'), lost: list.reduce((a, x) => a + x.lost, 0) });
    const ctl = summary(runs.controller);
    const base = summary(runs.bare);
    const ratio = ctl.p99 / Math.max(base.p99, 0.001);
    console.log({ bare: base, controller: ctl, ratio });
    await bare.close();

    // 1,000 callers waiting in the queue at once: every operator away first.
    for (const id of operators) await rt.service.setPresence(id, 'logged_out');
    while (rt.controller.activeCalls > 0) await sleep(20);
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const calls = await driver.holdMany(heldCalls);
    while ((await rt.service.queueSnapshot(courtId)).waiting.length < heldCalls) await sleep(50);
    globalThis.gc?.();
    await sleep(200);
    const rssHeld = process.memoryUsage().rss;
    const held = { calls: rt.controller.activeCalls, rssMb: rssHeld / 2 ** 20, rssBeforeMb: rssBefore / 2 ** 20, simChannels: sim.channels().length };
    console.log({ held });
    for (const c of calls) c.hangup();
    while (rt.controller.activeCalls > 0) await sleep(20);
    writeSection({ base, ctl, ratio, held, load: loadavg() });
  } finally {
    await hotline.stop();
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await hotline.deps.redis.quit().catch(() => undefined);
    await adminQuery(`drop database if exists ${dbName} with (force)`);
    const { Redis } = await import('ioredis');
    const redis = new Redis(testRedisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}

await main();
