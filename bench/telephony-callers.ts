/**
 * The telephony benchmark's other side, run as its own process (as Asterisk is): the ARI stand-in plus the
 * simulated callers. Forked by bench/telephony-setup.ts and driven over IPC; it times each call from the
 * caller's StasisStart to the Dial that starts ringing the operator, both as the stand-in emits them.
 */
import { prompts } from '../telephony/menu.ts';
import { startAriSim, type AriSim, type CallHandle } from '../telephony/ari-sim/index.ts';
import { serveParent } from './child-process.ts';
import { watchStalls } from './stall-watch.ts';

export interface RoundResult {
  setupsPerSecond: number;
  p50: number;
  p99: number;
  lost: number;
  /** Calls whose operator was rung through an inter-node trunk (`PJSIP/<op>@trunk-<node>`: registered elsewhere). */
  viaTrunk: number;
  /** Every rung call's setup latency (ms), sorted: for pooling several nodes' rounds into one distribution. */
  latencies: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Places calls, plays the caller (0 on answer, hang up once the operator rings) and times arrival → ring. */
class Driver {
  private seq = 0;
  private readonly arrived = new Map<string, number>();
  private readonly ringAt = new Map<string, number>();
  private readonly ringViaTrunk = new Set<string>();
  private readonly waitingUp = new Map<string, () => void>();
  private held: CallHandle[] = [];

  /** BENCH_TRACE: per caller channel, when each step of the setup happened (for finding where time goes). */
  private readonly trace = process.env.BENCH_TRACE ? new Map<string, Record<string, number>>() : undefined;
  private readonly traceByNumber = new Map<string, string>();
  /** Traced callers whose operator was rung over an inter-node trunk (the summary splits them from the rest). */
  private readonly traceViaTrunk = new Set<string>();
  private readonly stalls = this.trace ? watchStalls() : undefined;
  private roundStart = 0;

  constructor(private readonly sim: AriSim) {
    sim.onEvent(({ event }) => {
      const e = event as any;
      if (this.trace) this.note(e);
      // The caller's channel (PJSIP/trunk-N); an operator leg dialled over an inter-node trunk (PJSIP/trunk-node2-N) is not.
      if (e.type === 'StasisStart' && /^PJSIP\/trunk-[0-9a-f]{8}$/.test(e.channel.name)) this.arrived.set(e.channel.caller.number, performance.now());
      else if (e.type === 'ChannelStateChange' && e.channel.state === 'Up') this.waitingUp.get(e.channel.id)?.();
      else if (e.type === 'Dial' && e.dialstatus === '' && !this.ringAt.has(e.peer.caller.number)) {
        this.ringAt.set(e.peer.caller.number, performance.now());
        if (e.peer.name.startsWith('PJSIP/trunk-node')) this.ringViaTrunk.add(e.peer.caller.number);
      }
    });
  }

  private note(e: any): void {
    const now = performance.now();
    let key: string | undefined = e.channel?.id ?? (e.playback?.target_uri as string | undefined)?.replace('channel:', '');
    if (e.type === 'Dial') key = this.traceByNumber.get(e.peer?.caller?.number);
    if (!key) return;
    if (e.type === 'Dial' && e.peer.name.startsWith('PJSIP/trunk-node')) this.traceViaTrunk.add(key);
    if (e.type === 'StasisStart' && /^PJSIP\/trunk-[0-9a-f]{8}$/.test(e.channel.name)) this.traceByNumber.set(e.channel.caller.number, key);
    const t = this.trace!.get(key) ?? {};
    t[e.type === 'ChannelStateChange' ? `State${e.channel.state}` : e.type] ??= now;
    this.trace!.set(key, t);
  }

  /**
   * For each traced step, its time after the caller's StasisStart (mean, p50, p99 in ms), for all calls and apart
   * for those rung over a trunk (another node's operator) and the rest; then the slowest calls' timelines. Forgets them.
   */
  traceSummary(): Record<string, unknown> {
    if (!this.trace) return {};
    const steps = ['StateUp', 'ChannelVarset', 'PlaybackStarted', 'ChannelDtmfReceived', 'PlaybackFinished', 'Dial'];
    const all = [...this.trace.entries()].filter(([, t]) => t.StasisStart !== undefined);
    const stats = (calls: typeof all) => {
      const out: Record<string, string> = {};
      for (const step of steps) {
        const times = calls.filter(([, t]) => t[step] !== undefined).map(([, t]) => t[step]! - t.StasisStart!);
        times.sort((x, y) => x - y);
        const mean = times.reduce((x, y) => x + y, 0) / Math.max(1, times.length);
        out[step] = `n ${times.length}, mean ${mean.toFixed(1)}, p50 ${times[Math.floor(times.length / 2)]?.toFixed(1)}, p99 ${times[Math.floor(times.length * 0.99)]?.toFixed(1)}`;
      }
      return out;
    };
    const trunk = all.filter(([k]) => this.traceViaTrunk.has(k));
    const local = all.filter(([k]) => !this.traceViaTrunk.has(k));
    const slowest = all
      .filter(([, t]) => t.Dial !== undefined)
      .sort(([, a], [, b]) => b.Dial! - b.StasisStart! - (a.Dial! - a.StasisStart!))
      .slice(0, 8)
      .map(([k, t]) => `at ${Math.round(performance.timeOrigin + t.StasisStart!)} ${this.traceViaTrunk.has(k) ? 'trunk' : 'local'} ${steps.map((s) => `${s} ${t[s] === undefined ? '-' : (t[s]! - t.StasisStart!).toFixed(0)}`).join(', ')}`);
    this.trace.clear();
    this.traceByNumber.clear();
    this.traceViaTrunk.clear();
    return { roundStart: Math.round(performance.timeOrigin + this.roundStart), all: stats(all), viaTrunk: stats(trunk), local: stats(local), slowest, standInStalls: this.stalls?.() };
  }

  async round(app: string, perSecond: number, durationS: number): Promise<RoundResult> {
    const total = Math.round(perSecond * durationS);
    const numbers: string[] = [];
    const done: Promise<void>[] = [];
    const start = performance.now();
    this.roundStart = start;
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
    const viaTrunk = numbers.filter((n) => this.ringViaTrunk.delete(n)).length;
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
    if (this.trace) console.log(process.env.BENCH_NODE ?? app, JSON.stringify(this.traceSummary(), null, 1));
    return { setupsPerSecond: (latencies.length * 1000) / (lastRing - start), p50: pick(0.5), p99: pick(0.99), lost: total - latencies.length, viaTrunk, latencies };
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
  async hold(n: number): Promise<{ simChannels: number }> {
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
    this.held = calls.map((c) => c.call);
    return { simChannels: this.sim.channels().length };
  }

  hangupHeld(): void {
    for (const c of this.held) c.hangup();
    this.held = [];
  }
}

async function main(): Promise<void> {
  // BENCH_OPERATOR_FIRST, BENCH_TRUNKS (telephony-nodes.ts): this node registers operators from that index on, and
  // answers for the other nodes' operators through its trunk endpoints (`trunk-<node>`, docs/telephony.md).
  const operatorCount = Number(process.env.BENCH_OPERATORS ?? 200);
  const firstOperator = Number(process.env.BENCH_OPERATOR_FIRST ?? 0);
  const sim = await startAriSim({
    app: 'hotline12368',
    username: 'hotline',
    password: 'hotline',
    channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'],
    sounds: Object.fromEntries(prompts.map((p) => [`/snd/zh/${p}`, 5000])),
    dtmfDurationMs: 1,
    eventLogLimit: 50,
  });
  for (let i = firstOperator; i < firstOperator + operatorCount; i++) sim.endpoint(`op${7000 + i}`).register().noAnswer();
  for (const trunk of (process.env.BENCH_TRUNKS ?? '').split(',').filter(Boolean)) sim.endpoint(trunk).register().noAnswer();
  const driver = new Driver(sim);
  serveParent(
    {
      round: (a: { app: string; perSecond: number; seconds: number }) => driver.round(a.app, a.perSecond, a.seconds),
      hold: (calls: number) => driver.hold(calls),
      hangupHeld: () => driver.hangupHeld(),
      connected: (app: string) => sim.isConnected(app),
      stop: async () => {
        await sim.stop();
        setImmediate(() => process.exit(0));
      },
    },
    { url: sim.url },
  );
}

await main();
