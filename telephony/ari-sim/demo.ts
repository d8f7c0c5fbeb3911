/**
 * Demo / load mode: a stand-in Asterisk that places synthetic calls to the hotline, so the controller and
 * the console can be watched working without a real Asterisk.
 *
 *   npx tsx telephony/ari-sim/demo.ts --calls-per-minute 10 [--port 8088] [--operators op1,op2] [--minutes 0]
 *
 * Point the controller's ARI settings at the printed URL and credentials. Callers wait up to --patience
 * seconds to be answered, press a menu digit once answered and hang up after a random talk time; operator
 * softphones are registered, answer after 1–4 s and hang up after 20–60 s of talk.
 */
import { parseArgs } from 'node:util';
import { startAriSim } from './index.ts';

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

const number = (name: string, text: string | undefined, min: number) => {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) {
    console.error(`--${name} must be a number ≥ ${min} (got "${text}")`);
    process.exit(2);
  }
  return value;
};
const callsPerMinute = number('calls-per-minute', values['calls-per-minute'], 0.1);
const patienceMs = number('patience', values.patience, 1) * 1000;
const minutes = number('minutes', values.minutes, 0);
const random = (min: number, max: number) => min + Math.random() * (max - min);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sim = await startAriSim({
  port: number('port', values.port, 0),
  username: values.username,
  password: values.password,
  app: values.app,
  channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'],
});
const operators = (values.operators ?? '').split(',').filter(Boolean);
for (const name of operators) sim.endpoint(name).register().answerAfter(random(1000, 4000));
sim.onEvent(({ event }) => {
  const channel = event.channel;
  if (event.type !== 'ChannelStateChange' || channel?.state !== 'Up' || !channel.name.startsWith('PJSIP/op')) return;
  const endpoint = channel.name.slice('PJSIP/'.length, channel.name.lastIndexOf('-'));
  setTimeout(() => sim.endpoint(endpoint).hangup(), random(20_000, 60_000));
});

console.log(`ARI stand-in at ${sim.url}/ari (user ${sim.username}, app ${sim.app}); ${callsPerMinute} calls/min; operators ${operators.join(', ') || 'none'}`);

let placed = 0;
async function caller(): Promise<void> {
  placed += 1;
  const call = await sim.placeCall({ from: `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` });
  if (!call.accepted) {
    console.log(`call ${placed}: declined (no controller connected)`);
    return;
  }
  console.log(`call ${placed}: ${call.name} ringing the hotline`);
  const state = () => call.state; // a live getter: read it afresh each time
  const deadline = Date.now() + patienceMs;
  while (state() !== 'Up' && state() !== 'gone' && Date.now() < deadline) await sleep(200);
  if (state() === 'gone') return;
  if (state() !== 'Up') {
    console.log(`call ${placed}: caller gave up after ${patienceMs / 1000} s`);
    call.hangup();
    return;
  }
  await sleep(random(1500, 4000));
  if (state() === 'Up') await call.pressDigits(String(1 + Math.floor(Math.random() * 4))).catch(() => undefined);
  await sleep(random(20_000, 90_000));
  if (state() !== 'gone') call.hangup();
}

const interval = setInterval(() => void caller().catch((err: Error) => console.error(err.message)), 60_000 / callsPerMinute);
const shutdown = async () => {
  clearInterval(interval);
  await sim.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
if (minutes > 0) setTimeout(() => void shutdown(), minutes * 60_000);
