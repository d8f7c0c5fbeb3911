/**
 * Demo / load mode: a stand-in Asterisk that places synthetic calls to the hotline, so the controller and
 * the console can be watched working without a real Asterisk.
 *
 *   npx tsx telephony/ari-sim/demo.ts --calls-per-minute 10 [--port 8088] [--operators op1,op2] [--minutes 0]
 *
 * Point the controller's ARI settings at the printed URL and credentials. Callers wait up to --patience
 * seconds to be answered, press a menu digit once answered and hang up after 20–90 s; operator softphones
 * are registered, answer after 1–4 s and hang up after 20–60 s of talk.
 */
import { parseArgs } from 'node:util';
import { startAriSim } from './index.ts';
import { startSyntheticCalls } from './synthetic-calls.ts';

const { values } = parseArgs({
  options: {
    'calls-per-minute': { type: 'string', default: '10' },
    port: { type: 'string', default: '8088' },
    username: { type: 'string', default: 'asterisk' },
    password: { type: 'string', default: 'asterisk' },
    app: { type: 'string', default: 'hotline12368' },
    operators: { type: 'string', default: 'op1,op2' },
    patience: { type: 'string', default: '60' },
    minutes: { type: 'string', default: '0' },
  },
});

function number(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) {
    console.error(`--${name} must be a number ≥ ${min} (got "${text}")`);
    process.exit(2);
  }
  return value;
}

const callsPerMinute = number('calls-per-minute', values['calls-per-minute'], 0.1);
const minutes = number('minutes', values.minutes, 0);
const sim = await startAriSim({
  port: number('port', values.port, 0),
  username: values.username,
  password: values.password,
  app: values.app,
  channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'],
});
const operators = (values.operators ?? '').split(',').filter(Boolean);
const calls = startSyntheticCalls(sim, {
  callsPerMinute,
  patienceMs: number('patience', values.patience, 1) * 1000,
  operators,
  log: (line) => console.log(line),
});
console.log(`ARI stand-in at ${sim.url}/ari (user ${sim.username}, app ${sim.app}); ${callsPerMinute} calls/min; operators ${operators.join(', ') || 'none'}`);

async function shutdown(): Promise<void> {
  await calls.stop();
  await sim.stop();
  console.log('calls:', JSON.stringify(calls.stats));
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
if (minutes > 0) setTimeout(() => void shutdown(), minutes * 60_000);
