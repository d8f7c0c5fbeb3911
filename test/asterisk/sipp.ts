import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import { freeUdpPort } from '../harness/net.ts';

const scenarioDir = resolve(import.meta.dirname, 'sipp');
const work = mkdtempSync(join(tmpdir(), 'hotline-sipp-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A scenario of test/asterisk/sipp/ with its %NAME% placeholders filled in. */
function scenario(name: string, values: Record<string, string | number>): string {
  let text = readFileSync(join(scenarioDir, `${name}.xml`), 'utf8');
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`%${key}%`, String(value));
  const left = /%[A-Z_]+%/.exec(text);
  if (left) throw new Error(`sipp scenario ${name}: ${left[0]} not given`);
  const file = join(work, `${name}-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, text);
  return file;
}

export interface SippRun {
  port: number;
  /** Resolves with sipp's exit code (0: every call succeeded) and its output. */
  done: Promise<{ code: number | null; output: string }>;
  stop(): void;
}

async function run(file: string, args: string[], port?: number): Promise<SippRun> {
  const sipPort = port ?? (await freeUdpPort());
  const mediaPort = await freeUdpPort();
  const child: ChildProcess = spawn('sipp', ['-sf', file, '-i', '127.0.0.1', '-p', String(sipPort), '-mi', '127.0.0.1', '-mp', String(mediaPort), '-nostdin', '-trace_err', '-error_file', `${file}.errors`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const done = new Promise<{ code: number | null; output: string }>((ok) =>
    child.once('exit', (code) => {
      let errors = '';
      try {
        errors = readFileSync(`${file}.errors`, 'utf8');
      } catch {
        // no errors file: no errors
      }
      ok({ code, output: `${output}\n${errors}`.trim() });
    }),
  );
  return { port: sipPort, done, stop: () => child.kill('SIGTERM') };
}

/** A PSTN caller on the trunk dialling `service`, pressing a digit, staying `stayMs`, then hanging up. */
export function placeCall(asterisk: { sipPort: number }, o: { caller: string; digit?: string; beforeDigitMs?: number; stayMs: number; service?: string }): Promise<SippRun> {
  const file = scenario('caller', {
    CALLER: o.caller,
    BEFORE_DTMF_MS: o.beforeDigitMs ?? 1500,
    DTMF_PCAP: `/usr/share/sip-tester/dtmf_2833_${o.digit ?? '0'}.pcap`,
    STAY_MS: o.stayMs,
  });
  return run(file, [`127.0.0.1:${asterisk.sipPort}`, '-s', o.service ?? '12368', '-m', '1', '-timeout', `${Math.ceil(o.stayMs / 1000) + 120}s`]);
}

/** Registers `user` with its contact at `contactPort` (where a UAS answers); resolves once Asterisk said 200. */
export async function register(asterisk: { sipPort: number }, o: { user: string; password: string; contactPort: number; expires?: number }): Promise<void> {
  const file = scenario('register', { USER: o.user, CONTACT_PORT: o.contactPort, EXPIRES: o.expires ?? 300 });
  const r = await run(file, [`127.0.0.1:${asterisk.sipPort}`, '-au', o.user, '-ap', o.password, '-m', '1', '-timeout', '15s']);
  const { code, output } = await r.done;
  if (code !== 0) throw new Error(`sipp could not register ${o.user} (exit ${code}):\n${output.slice(-2000)}`);
}

export type Answering = 'answer' | 'noanswer' | 'busy' | 'answer-webrtc';

/** A phone taking calls on its own port: answering after ringMs, never answering, or busy. Stop it after the test. */
export async function phone(behaviour: Answering, o: { ringMs?: number } = {}): Promise<SippRun> {
  const name = behaviour === 'answer' ? 'uas-answer' : behaviour === 'answer-webrtc' ? 'uas-answer-webrtc' : behaviour === 'noanswer' ? 'uas-noanswer' : 'uas-busy';
  const file = scenario(name, behaviour.startsWith('answer') ? { RING_MS: o.ringMs ?? 300 } : {});
  // -aa: 200 OK to OPTIONS (desk phones are qualified), INFO, NOTIFY and UPDATE.
  const uas = await run(file, ['-aa', '-timeout', '600s']);
  // sipp refuses a scenario it finds wrong only once started: a phone that is not there must fail the test here.
  const early = await Promise.race([uas.done, new Promise<undefined>((r) => setTimeout(() => r(undefined), 500))]);
  if (early) throw new Error(`sipp ${name} exited at start (${early.code}):\n${early.output.slice(-2000)}`);
  return uas;
}
