import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import { freeUdpPort, freeUdpPorts } from '../harness/net.ts';

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

/** sipp exits at once when a port it binds was taken between our check and its bind (by another test's process). */
const portTaken = /Address already in use|errno = 98/;

/** A sipp run; `exitedAtStart` holds how it ended if it exited within its first 300 ms (a scenario it refused). */
type StartedRun = SippRun & { exitedAtStart?: { code: number | null; output: string } };

/** Starts sipp on free ports; started again on new ports if one was taken meanwhile. */
async function run(file: string, args: string[]): Promise<StartedRun> {
  for (let attempt = 1; ; attempt++) {
    const started = await start(file, args);
    const early = await Promise.race([started.done, new Promise<undefined>((r) => setTimeout(() => r(undefined), 300))]);
    if (!early) return started;
    if (!portTaken.test(early.output) || attempt === 5) return { ...started, exitedAtStart: early };
  }
}

async function start(file: string, args: string[]): Promise<SippRun> {
  const sipPort = await freeUdpPort();
  // Audio RTP and RTCP, video RTP and RTCP: sipp binds the media port and the three after it.
  const mediaPort = await freeUdpPorts(4);
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

/** Keys pressed after a pause: `digits` (0-9, *, #) one after another, `gapMs` apart. */
export interface KeyGroup {
  afterMs: number;
  digits: string;
  gapMs?: number;
}

const pcapName: Record<string, string> = { '*': 'star', '#': 'pound' };

/**
 * sip-tester's dtmf_2833_<digit>.pcap, rewritten so that its RTP sequence numbers and timestamps follow on
 * from the digit before: the pcaps were cut from one recording, and Asterisk drops telephone-events whose
 * sequence number or timestamp goes back (a second '2', or a '0' after a '2', would never arrive).
 */
function dtmfPcap(digit: string, rtp: { seq: number; ts: number }): string {
  const pcap = readFileSync(`/usr/share/sip-tester/dtmf_2833_${pcapName[digit] ?? digit}.pcap`);
  if (pcap.readUInt32LE(0) !== 0xa1b2c3d4 || pcap.readUInt32LE(20) !== 1) throw new Error('expected a little-endian Ethernet pcap');
  const packets: Array<{ rtp: number; udp: number }> = [];
  for (let at = 24; at < pcap.length; at += 16 + pcap.readUInt32LE(at + 8)) {
    const ip = at + 16 + 14;
    const udp = ip + (pcap[ip]! & 0x0f) * 4;
    packets.push({ udp, rtp: udp + 8 });
  }
  const first = { seq: pcap.readUInt16BE(packets[0]!.rtp + 2), ts: pcap.readUInt32BE(packets[0]!.rtp + 4) };
  let last = rtp.seq;
  for (const p of packets) {
    last = (pcap.readUInt16BE(p.rtp + 2) - first.seq + rtp.seq) & 0xffff;
    pcap.writeUInt16BE(last, p.rtp + 2);
    pcap.writeUInt32BE((pcap.readUInt32BE(p.rtp + 4) - first.ts + rtp.ts) >>> 0, p.rtp + 4);
    pcap.writeUInt16BE(0, p.udp + 6); // no UDP checksum (the payload changed)
  }
  rtp.seq = (last + 1) & 0xffff;
  rtp.ts = (rtp.ts + 8000) >>> 0;
  const file = join(work, `dtmf-${Math.random().toString(36).slice(2)}.pcap`);
  writeFileSync(file, pcap);
  return file;
}

/** The scenario steps for the key groups: a pause, then each digit's RFC 4733 events. */
function dtmfSteps(groups: KeyGroup[]): string {
  const steps: string[] = [];
  const rtp = { seq: 1000, ts: 160_000 };
  for (const group of groups) {
    steps.push(`  <pause milliseconds="${group.afterMs}"/>`);
    [...group.digits].forEach((digit, i) => {
      if (!/^[0-9*#]$/.test(digit)) throw new Error(`not a DTMF digit: ${digit}`);
      // A pcap lasts about 150 ms; the next one must not cut it off.
      if (i > 0) steps.push(`  <pause milliseconds="${group.gapMs ?? 400}"/>`);
      steps.push(`  <nop><action><exec play_pcap_audio="${dtmfPcap(digit, rtp)}"/></action></nop>`);
    });
  }
  return steps.join('\n');
}

/**
 * A PSTN caller on the trunk dialling `service`: presses `digit` after `beforeDigitMs` (or the `keys` groups),
 * stays `stayMs` more, then hangs up (answering Asterisk's BYE if it hangs up first).
 */
export function placeCall(
  asterisk: { sipPort: number },
  o: { caller: string; digit?: string; beforeDigitMs?: number; keys?: KeyGroup[]; stayMs: number; service?: string },
): Promise<SippRun> {
  const keys = o.keys ?? [{ afterMs: o.beforeDigitMs ?? 1500, digits: o.digit ?? '0' }];
  const keyMs = keys.reduce((ms, g) => ms + g.afterMs + g.digits.length * (g.gapMs ?? 400), 0);
  const file = scenario('caller', { CALLER: o.caller, DTMF_STEPS: dtmfSteps(keys), STAY_MS: o.stayMs });
  return run(file, [`127.0.0.1:${asterisk.sipPort}`, '-s', o.service ?? '12368', '-m', '1', '-timeout', `${Math.ceil((keyMs + o.stayMs) / 1000) + 120}s`]);
}

/**
 * Registers `user` with its contact at `contactPort` (where a UAS answers), as `contactUser` (default: the user);
 * resolves once Asterisk said 200.
 */
export async function register(asterisk: { sipPort: number }, o: { user: string; password: string; contactPort: number; contactUser?: string; expires?: number }): Promise<void> {
  const file = scenario('register', { USER: o.user, CONTACT_USER: o.contactUser ?? o.user, CONTACT_PORT: o.contactPort, EXPIRES: o.expires ?? 300 });
  const r = await run(file, [`127.0.0.1:${asterisk.sipPort}`, '-au', o.user, '-ap', o.password, '-m', '1', '-timeout', '15s']);
  const { code, output } = await r.done;
  if (code !== 0) throw new Error(`sipp could not register ${o.user} (exit ${code}):\n${output.slice(-2000)}`);
}

export type Answering = 'answer' | 'noanswer' | 'busy' | 'answer-webrtc' | 'answer-hangup';

/**
 * A phone taking calls on its own port: answering after ringMs (and with 'answer-hangup' hanging up hangupMs
 * after answering), never answering, or busy. Stop it after the test.
 */
export async function phone(behaviour: Answering, o: { ringMs?: number; hangupMs?: number } = {}): Promise<SippRun> {
  const name = behaviour === 'noanswer' ? 'uas-noanswer' : behaviour === 'busy' ? 'uas-busy' : `uas-${behaviour}`;
  const values = behaviour.startsWith('answer') ? { RING_MS: o.ringMs ?? 300, ...(behaviour === 'answer-hangup' ? { HANGUP_MS: o.hangupMs ?? 3000 } : {}) } : {};
  const file = scenario(name, values);
  // -aa: 200 OK to OPTIONS (desk phones are qualified), INFO, NOTIFY and UPDATE.
  const uas = await run(file, ['-aa', '-timeout', '600s']);
  // sipp refuses a scenario it finds wrong only once started: a phone that is not there must fail the test here.
  if (uas.exitedAtStart) throw new Error(`sipp ${name} exited at start (${uas.exitedAtStart.code}):\n${uas.exitedAtStart.output.slice(-2000)}`);
  return uas;
}

/**
 * A phone reached through the trunk (a caller the hotline calls back): answers after `ringMs`, keys the `keys`
 * groups (RFC 4733), then stays until Asterisk hangs up or `stayMs` has passed, and hangs up itself. Answers one
 * call after another; stop it after the test.
 */
export async function keyingPhone(o: { ringMs?: number; keys: KeyGroup[]; stayMs: number }): Promise<SippRun> {
  const file = scenario('uas-answer-dtmf', { RING_MS: o.ringMs ?? 300, DTMF_STEPS: dtmfSteps(o.keys), STAY_MS: o.stayMs });
  const uas = await run(file, ['-aa', '-timeout', '600s']);
  if (uas.exitedAtStart) throw new Error(`sipp uas-answer-dtmf exited at start (${uas.exitedAtStart.code}):\n${uas.exitedAtStart.output.slice(-2000)}`);
  return uas;
}

/**
 * Callers whose audio is the test's (an RtpPeer each, rtp-peer.ts): one sipp places them all, `ratePerSecond`
 * apart, each with its number and its peer's port in the SDP; each stays until Asterisk hangs it up, or `stayMs`.
 * sipp exits 0 once every call ended well.
 */
export async function placeMediaCalls(asterisk: { sipPort: number }, calls: Array<{ caller: string; mediaPort: number }>, o: { stayMs: number; ratePerSecond?: number; service?: string }): Promise<SippRun> {
  const file = scenario('caller-media', { STAY_MS: o.stayMs });
  const inf = `${file}.csv`;
  writeFileSync(inf, ['SEQUENTIAL', ...calls.map((c) => `${c.caller};${c.mediaPort}`), ''].join('\n'));
  const n = String(calls.length);
  const runs = await run(file, [`127.0.0.1:${asterisk.sipPort}`, '-s', o.service ?? '12368', '-inf', inf, '-m', n, '-l', n, '-r', String(o.ratePerSecond ?? 10), '-timeout', `${Math.ceil(o.stayMs / 1000) + 60}s`]);
  if (runs.exitedAtStart) throw new Error(`sipp callers exited at start (${runs.exitedAtStart.code}):\n${runs.exitedAtStart.output.slice(-2000)}`);
  return runs;
}

/**
 * One sipp answering for many operators' phones, each registered with `register(…, { contactUser:
 * mediaContact(endpoint, peer.port) })` so that its calls' audio goes to that peer. Stop it after the test.
 */
export async function mediaPhones(o: { ringMs?: number } = {}): Promise<SippRun> {
  const uas = await run(scenario('uas-media', { RING_MS: o.ringMs ?? 300 }), ['-aa', '-timeout', '600s']);
  if (uas.exitedAtStart) throw new Error(`sipp uas-media exited at start (${uas.exitedAtStart.code}):\n${uas.exitedAtStart.output.slice(-2000)}`);
  return uas;
}

/** The Contact user that tells uas-media.xml where an operator's audio goes. */
export const mediaContact = (endpoint: string, mediaPort: number): string => `${endpoint}-${mediaPort}`;
