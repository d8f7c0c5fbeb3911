import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, freeUdpPort } from '../harness/net.ts';
import { pcmWav } from '../../telephony/ari-sim/wav.ts';

export const repoConfigDir = resolve(import.meta.dirname, '../../asterisk-config');

export interface AsteriskOptions {
  /** ARI user and app as in asterisk-config (ari.conf, extensions.conf). */
  app?: string;
  /** Overrides for extensions.conf [globals] (e.g. FALLBACK_RING_SECONDS). */
  globals?: Record<string, string>;
  /**
   * 'rtp': operator endpoints take plain RTP over UDP, as sipp phones do (this instance's copy of pjsip.conf only);
   * 'webrtc' (default): as shipped, for the browser softphone (a sipp phone then carries no media).
   */
  operatorMedia?: 'webrtc' | 'rtp';
}

/** RTP ports per instance: both legs of 50+ bridged calls (two ports each: RTP and RTCP), with room to spare. */
export const rtpPortsPerInstance = 1000;

export interface AsteriskInstance {
  dir: string;
  etcDir: string;
  logDir: string;
  httpPort: number;
  sipPort: number;
  ariUrl: string;
  /** Runs an Asterisk CLI command through the control socket and returns its output. */
  cli(command: string): string;
  /** The cdr_custom file of asterisk-config/cdr_custom.conf in this instance's log dir. */
  cdrFile: string;
  /** Asterisk's console output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** The real Asterisk and sipp are on the PATH (outside CI they may be; in CI they are not). */
export function realAsteriskMissing(): string | undefined {
  for (const tool of ['asterisk', 'sipp']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (found.status !== 0) return `${tool} is not on the PATH`;
  }
  return undefined;
}

const replaceLine = (text: string, pattern: RegExp, line: string): string => {
  if (!pattern.test(text)) throw new Error(`asterisk-config changed: no line matches ${pattern}`);
  return text.replace(pattern, line);
};

/** In place of `webrtc = yes` in the operator-endpoint template: a desk phone's plain RTP (asterisk-config's judge-endpoint). */
const plainRtpOperator = ['transport = transport-udp', 'direct_media = no', 'rtp_symmetric = yes'].join('\n');

/**
 * Starts a private Asterisk on loopback with the shipped asterisk-config/: its own asterisk.conf points every
 * directory into a temp dir (no root needed), and only ports and paths are changed, to unusual free ones, so
 * it never clashes with a system Asterisk or another run.
 */
export async function startAsterisk(options: AsteriskOptions = {}): Promise<AsteriskInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-asterisk-'));
  const etcDir = join(dir, 'etc');
  const logDir = join(dir, 'log');
  const dataDir = join(dir, 'data');
  // log/cdr-custom and spool/recording: Asterisk creates neither cdr_custom's directory nor the one ARI records
  // into (packages do, at install); without the latter every ARI recording fails ("No such file or directory").
  for (const sub of ['etc', 'log/cdr-custom', 'run', 'spool/recording', 'lib', 'data/moh', 'cache']) mkdirSync(join(dir, sub), { recursive: true });
  const httpPort = await freePort();
  const sipPort = await freeUdpPort();
  // Below the OS's ephemeral ports (32768+), where freeUdpPort picks SIP and media ports for sipp and Asterisk; at
  // a random offset, so that the test files running side by side seldom share ports (Asterisk takes the next free
  // pair of its range when one is taken).
  const rtpStart = 20000 + Math.floor(Math.random() * ((32768 - rtpPortsPerInstance - 20000) / 100)) * 100;

  for (const file of readdirSync(repoConfigDir).filter((f) => f.endsWith('.conf'))) {
    let text = readFileSync(join(repoConfigDir, file), 'utf8');
    if (file === 'http.conf') {
      text = replaceLine(text, /^bindaddr = .*$/m, 'bindaddr = 127.0.0.1');
      text = replaceLine(text, /^bindport = .*$/m, `bindport = ${httpPort}`);
    } else if (file === 'pjsip.conf') {
      text = replaceLine(text, /^bind = 0\.0\.0\.0:5060$/m, `bind = 127.0.0.1:${sipPort}`);
      if (options.operatorMedia === 'rtp') text = replaceLine(text, /^webrtc = yes$/m, plainRtpOperator);
    } else if (file === 'rtp.conf') {
      text = replaceLine(text, /^rtpstart = .*$/m, `rtpstart = ${rtpStart}`);
      text = replaceLine(text, /^rtpend = .*$/m, `rtpend = ${rtpStart + rtpPortsPerInstance - 1}`);
    } else if (file === 'logger.conf') {
      // Dialplan steps in console.log, for the failure message (KEEP_ASTERISK_DIR=1 keeps the file).
      text = replaceLine(text, /^console => .*$/m, 'console => notice,warning,error,verbose');
    } else if (file === 'musiconhold.conf') {
      text = replaceLine(text, /^directory = moh$/m, `directory = ${join(dataDir, 'moh')}`);
    } else if (file === 'extensions.conf') {
      const globals: Record<string, string> = { HOTLINE_SOUNDS: join(repoConfigDir, 'sounds'), ...(options.app ? { HOTLINE_APP: options.app } : {}), ...options.globals };
      for (const [name, value] of Object.entries(globals)) text = replaceLine(text, new RegExp(`^${name} = .*$`, 'm'), `${name} = ${value}`);
    }
    writeFileSync(join(etcDir, file), text);
  }
  // Hold music: a short 8 kHz tone, since a source build ships none.
  writeFileSync(join(dataDir, 'moh', 'tone.wav'), toneWav(440, 2));
  const conf = join(etcDir, 'asterisk.conf');
  writeFileSync(
    conf,
    [
      '[directories]',
      `astetcdir => ${etcDir}`,
      `astvarlibdir => ${join(dir, 'lib')}`,
      `astdbdir => ${join(dir, 'lib')}`,
      `astspooldir => ${join(dir, 'spool')}`,
      `astrundir => ${join(dir, 'run')}`,
      `astlogdir => ${logDir}`,
      `astcachedir => ${join(dir, 'cache')}`,
      '[options]',
      'verbose = 3',
      'nocolor = yes',
      'documentation_language = en_US',
      '',
    ].join('\n'),
  );

  const out = createWriteStream(join(dir, 'console.log'));
  const child: ChildProcess = spawn('asterisk', ['-C', conf, '-f', '-n', '-g'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    // 'exit' can come before the pipes drain: what arrives after stop() ended the file stays in output only.
    if (!out.writableEnded) out.write(chunk);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((done) =>
    child.once('exit', (code, signal) => {
      // An Asterisk that goes away during a test (crash, or killed from outside) says so in the failure output.
      output += `\n[asterisk exited: code ${code}, signal ${signal}]\n`;
      done();
    }),
  );

  const ariUrl = `http://127.0.0.1:${httpPort}`;
  const instance: AsteriskInstance = {
    dir,
    etcDir,
    logDir,
    httpPort,
    sipPort,
    ariUrl,
    cdrFile: join(logDir, 'cdr-custom', 'hotline-cdr.jsonl'),
    cli: (command) => spawnSync('asterisk', ['-C', conf, '-rx', command], { encoding: 'utf8', timeout: 10_000 }).stdout,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        spawnSync('asterisk', ['-C', conf, '-rx', 'core stop now'], { timeout: 10_000 });
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      out.end();
      if (!process.env.KEEP_ASTERISK_DIR) rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Asterisk exited at start:\n${output.slice(-3000)}`);
    const ok = await fetch(`${ariUrl}/ari/asterisk/ping`, { headers: { authorization: `Basic ${Buffer.from('hotline:hotline').toString('base64')}` } })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok && instance.cli('core waitfullybooted').includes('fully booted')) break;
    if (Date.now() > deadline) {
      await instance.stop();
      throw new Error(`Asterisk did not come up in 30 s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return instance;
}

/** A mono 16-bit 8 kHz WAV of a sine tone. */
function toneWav(hz: number, seconds: number): Buffer {
  const rate = 8000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 6000), i * 2);
  return pcmWav(data, rate);
}
