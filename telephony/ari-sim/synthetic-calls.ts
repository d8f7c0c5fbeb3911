import type { AriSim } from './sim.ts';

export interface SyntheticCallOptions {
  callsPerMinute: number;
  /** How long a caller waits to be answered before hanging up (ms). */
  patienceMs: number;
  /** After answer: delay before pressing a menu digit, and talk time before hanging up ([min, max] ms). */
  digitDelayMs?: [number, number];
  talkMs?: [number, number];
  /** Operator softphones to register; each answers after answerMs and hangs up after operatorTalkMs. */
  operators?: string[];
  operatorAnswerMs?: [number, number];
  operatorTalkMs?: [number, number];
  log?: (line: string) => void;
}

export interface SyntheticCallStats {
  placed: number;
  declined: number;
  answered: number;
  digitsPressed: number;
  gaveUp: number;
  hungUp: number;
}

const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Places synthetic calls at a steady rate: each caller waits to be answered, presses a menu digit and hangs
 * up after a while; operator softphones answer and hang up on their own. Used by the demo and load mode.
 */
export function startSyntheticCalls(sim: AriSim, options: SyntheticCallOptions) {
  const stats: SyntheticCallStats = { placed: 0, declined: 0, answered: 0, digitsPressed: 0, gaveUp: 0, hungUp: 0 };
  const log = options.log ?? (() => undefined);
  let running = true;
  const operatorTimers = new Set<NodeJS.Timeout>();
  for (const name of options.operators ?? []) sim.endpoint(name).register().answerAfter(between(options.operatorAnswerMs ?? [1000, 4000]));
  const unsubscribe = sim.onEvent(({ event }) => {
    const channel = event.channel;
    if (event.type !== 'ChannelStateChange' || channel?.state !== 'Up') return;
    const endpoint = channel.name.slice('PJSIP/'.length, channel.name.lastIndexOf('-'));
    if (!(options.operators ?? []).includes(endpoint)) return;
    const timer = setTimeout(() => {
      operatorTimers.delete(timer);
      sim.endpoint(endpoint).hangup();
    }, between(options.operatorTalkMs ?? [20_000, 60_000]));
    operatorTimers.add(timer);
  });

  async function caller(n: number): Promise<void> {
    const call = await sim.placeCall({ from: `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` });
    if (!call.accepted) {
      stats.declined += 1;
      log(`call ${n}: declined (no controller connected)`);
      return;
    }
    log(`call ${n}: ${call.name} calling the hotline`);
    const state = () => call.state; // a live getter: read afresh each time
    const deadline = Date.now() + options.patienceMs;
    while (state() !== 'Up' && state() !== 'gone' && Date.now() < deadline) await sleep(20);
    if (state() === 'gone') return;
    if (state() !== 'Up') {
      stats.gaveUp += 1;
      log(`call ${n}: caller gave up waiting`);
      call.hangup();
      return;
    }
    stats.answered += 1;
    // Waits end early when the call is gone or the calls are stopped (a demo stopping does not wait out talk times).
    const pause = async (ms: number) => {
      const end = Date.now() + ms;
      while (running && state() !== 'gone' && Date.now() < end) await sleep(Math.min(200, end - Date.now()));
    };
    await pause(between(options.digitDelayMs ?? [1500, 4000]));
    if (running && state() === 'Up') {
      await call.pressDigits(String(1 + Math.floor(Math.random() * 4)));
      stats.digitsPressed += 1;
    }
    await pause(between(options.talkMs ?? [20_000, 90_000]));
    if (state() !== 'gone') {
      call.hangup();
      stats.hungUp += 1;
    }
  }

  const pending = new Set<Promise<void>>();
  const interval = setInterval(() => {
    if (!sim.running) return;
    stats.placed += 1;
    const task = caller(stats.placed).catch((err: Error) => log(`call failed: ${err.message}`));
    pending.add(task);
    void task.finally(() => pending.delete(task));
  }, 60_000 / options.callsPerMinute);

  return {
    stats,
    /** Stops placing calls and waits for the callers in progress to finish. */
    async stop(): Promise<void> {
      running = false;
      clearInterval(interval);
      unsubscribe();
      for (const timer of operatorTimers) clearTimeout(timer);
      await Promise.all(pending);
    },
  };
}
