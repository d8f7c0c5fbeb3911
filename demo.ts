/**
 * `npm run demo`: the hotline with the ARI stand-in in Asterisk's place, on matching credentials, a sample court
 * with a user of every role (fresh passwords printed each run), two simulated operators who answer, and a trickle
 * of callers; prints the URL to open. Its own data directory (./data/demo) unless HOTLINE_DATA_DIR is set, so the
 * demo never touches a real court's data. Knobs: DEMO_CALLS_PER_MINUTE (default 4), DEMO_MINUTES (0: until Ctrl+C).
 */
import { randomBytes } from 'node:crypto';
import { prepareDemoCourt, demoCourt } from './api/bootstrap/demo-court.ts';
import { startHotline } from './hotline.ts';
import { ConfigError, loadConfig } from './platform/config/load.ts';
import { serviceOf } from './platform/deps.ts';
import { createLogger } from './platform/logger.ts';
import { exitOnSignals } from './platform/signals.ts';
import { startAriSim, startSyntheticCalls } from './telephony/ari-sim/index.ts';
import './telephony/plugin.ts';

const callsPerMinute = Number(process.env.DEMO_CALLS_PER_MINUTE ?? 4);
const minutes = Number(process.env.DEMO_MINUTES ?? 0);
if (!(callsPerMinute > 0) || !(minutes >= 0)) {
  console.error('DEMO_CALLS_PER_MINUTE must be a number above 0 and DEMO_MINUTES a number of minutes (0: until stopped).');
  process.exit(2);
}

// The stand-in and the hotline share one set of ARI credentials, made for this run.
const ari = { username: 'hotline-demo', password: randomBytes(12).toString('base64url'), app: 'hotline12368' };
const sim = await startAriSim({ port: 0, ...ari, channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'] });
let config;
try {
  config = loadConfig({
    env: { ...process.env, HOTLINE_DATA_DIR: process.env.HOTLINE_DATA_DIR ?? './data/demo', ARI_URL: sim.url, ARI_USERNAME: ari.username, ARI_PASSWORD: ari.password, ARI_APP: ari.app },
    cwd: process.cwd(),
  });
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
const logger = createLogger({ ...config.log, level: process.env.LOG_LEVEL ? config.log.level : 'warn' });
const hotline = await startHotline(config, logger);
const court = await prepareDemoCourt(hotline.deps.db);

// The simulated operators' phones answer in the stand-in; they are ready in the queue as if signed in.
const simulated = court.users.filter((u) => u.simulated);
const calls = startSyntheticCalls(sim, { callsPerMinute, patienceMs: 45_000, operators: simulated.map((u) => u.sipEndpoint!), talkMs: [15_000, 45_000], operatorTalkMs: [10_000, 30_000] });
const telephony = serviceOf(hotline.deps, 'telephony');
for (const operator of simulated) await telephony.setPresence(operator.id, 'ready');

const width = Math.max(...court.users.map((u) => u.username.length));
console.log(`
12368 hotline demo — ${demoCourt.name}
Open ${hotline.url}/ and sign in as any of these (passwords are new each run):
${court.users.map((u) => `  ${u.username.padEnd(width)}  ${u.password}  ${u.role}${u.simulated ? ' (simulated: its phone in the stand-in answers calls)' : ''}  ${u.displayName}`).join('\n')}
Calls: ${callsPerMinute} a minute to ${demoCourt.number}, from the ARI stand-in at ${sim.url} (no Asterisk needed).
Data: ${config.dataDir} (delete it to start over). Stop with Ctrl+C.
`);

// The simulated callers hang up at once, then the hotline stops (as for a restart) and the stand-in last.
const stop = async () => {
  await calls.stop();
  await hotline.stop();
  await sim.stop();
  console.log('demo calls:', JSON.stringify(calls.stats));
};
exitOnSignals({ stop, logger, timeoutMs: config.shutdown.timeoutMs });
if (minutes > 0) setTimeout(() => process.kill(process.pid, 'SIGTERM'), minutes * 60_000);
