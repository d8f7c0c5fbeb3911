import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeUdpPort, freeUdpPorts } from '../harness/net.ts';
import { repoConfigDir, startAsterisk, type AsteriskInstance, type AsteriskOptions } from './asterisk-instance.ts';

/**
 * Several Asterisk nodes behind Kamailio on loopback, set up the way a deployment is (docs/deployment.md,
 * "Cluster"): asterisk-config/kamailio/generate.sh writes the dispatcher list, Kamailio's local settings and each
 * node's node/pjsip_node.conf from one list; Kamailio runs the shipped kamailio.cfg.
 */
const kamailioDir = join(repoConfigDir, 'kamailio');

/** Kamailio and kamcmd are on the PATH (with asterisk and sipp, see realAsteriskMissing). */
export function kamailioMissing(): string | undefined {
  for (const tool of ['kamailio', 'kamcmd']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not on the PATH`;
  }
  return undefined;
}

export interface ClusterNode extends AsteriskInstance {
  name: string;
  /** SIGKILL, as a crashed machine: no BYE, no OPTIONS answer any more. */
  kill(): void;
  /** Starts this node's Asterisk again (same directories and ports) after kill(); resolves once fully booted. */
  restart(): Promise<void>;
  /** Channels of this node whose name starts with `prefix` (e.g. "PJSIP/proxy-": calls the proxy sent). */
  channels(prefix: string): string[];
}

export interface Cluster {
  nodes: ClusterNode[];
  /** Where generate.sh wrote its files (<dir>/kamailio, <dir>/<node>). */
  dir: string;
  proxyPort: number;
  /** Kamailio's dispatcher state: each node's URI and flags (AP active, IP inactive, …). */
  dispatcher(): Array<{ uri: string; flags: string }>;
  proxyOutput(): string;
  stop(): Promise<void>;
}

/** Starts `names.length` Asterisk nodes (each with its own options) and Kamailio in front, all probed up. */
export async function startCluster(nodes: Array<{ name: string; /** A node already running (e.g. useRealCourt's); stopped by its owner. */ existing?: AsteriskInstance } & AsteriskOptions>): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-cluster-'));
  const started: AsteriskInstance[] = [];
  const restarted: Array<{ child: ChildProcess; conf: string }> = [];
  let proxy: ChildProcess | undefined;
  let output = '';
  const stop = async () => {
    if (proxy && proxy.exitCode === null) {
      const exited = new Promise((r) => proxy!.once('exit', r));
      proxy.kill('SIGTERM');
      await exited;
    }
    for (const r of restarted.filter((r) => r.child.exitCode === null)) {
      const exited = new Promise((done) => r.child.once('exit', done));
      spawnSync('asterisk', ['-C', r.conf, '-rx', 'core stop now'], { timeout: 10_000 });
      const killer = setTimeout(() => r.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    await Promise.all(started.filter((_, i) => !nodes[i]!.existing).map((n) => n.stop()));
    if (!process.env.KEEP_ASTERISK_DIR) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const node of await Promise.all(nodes.map((o) => o.existing ?? startAsterisk(o)))) started.push(node);
    const proxyPort = await freeUdpPort();
    const list = join(dir, 'cluster.list');
    writeFileSync(list, [`proxy 127.0.0.1:${proxyPort}`, ...nodes.map((o, i) => `${o.name} 127.0.0.1:${started[i]!.sipPort}`), ''].join('\n'));
    const kam = join(dir, 'kamailio');
    // Kamailio's files land in <dir>/kamailio (its directory here), each node's in <dir>/<node>.
    const generated = spawnSync('sh', [join(kamailioDir, 'generate.sh'), list, dir], { encoding: 'utf8', env: { ...process.env, KAMAILIO_DIR: kam, KAMAILIO_RUN_DIR: kam } });
    if (generated.status !== 0) throw new Error(`generate.sh failed: ${generated.stderr}`);

    for (const [i, o] of nodes.entries()) {
      const node = started[i]!;
      mkdirSync(join(node.etcDir, 'node'));
      copyFileSync(join(dir, o.name, 'pjsip_node.conf'), join(node.etcDir, 'node', 'pjsip_node.conf'));
      // In a cluster the carrier reaches the proxy, never a node; on loopback the shipped trunk's "match =
      // 127.0.0.1" would also match the proxy, so this copy gives the trunk an address nothing sends from.
      const pjsip = join(node.etcDir, 'pjsip.conf');
      writeFileSync(pjsip, readFileSync(pjsip, 'utf8').replace(/^match = 127\.0\.0\.1$/m, 'match = 127.0.0.2'));
      node.cli('module reload res_pjsip.so');
      if (!node.cli('pjsip show endpoint proxy').includes('Endpoint:  proxy')) throw new Error(`node ${o.name} has no proxy endpoint after reload:\n${node.output().slice(-2000)}`);
    }

    // -DD: stay in the foreground (its children are stopped with it); -E: log to stderr.
    proxy = spawn('kamailio', ['-f', join(kam, 'kamailio.cfg'), '-DD', '-E'], { stdio: ['ignore', 'pipe', 'pipe'] });
    proxy.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    proxy.stderr!.on('data', (c: Buffer) => (output += c.toString()));

    const ctl = join(kam, 'kamailio_ctl');
    const dispatcher = () => {
      const text = spawnSync('kamcmd', ['-s', `unixs:${ctl}`, 'dispatcher.list'], { encoding: 'utf8', timeout: 5000 }).stdout ?? '';
      return [...text.matchAll(/URI: (\S+)\s+FLAGS: (\S+)/g)].map((m) => ({ uri: m[1]!, flags: m[2]! }));
    };
    const deadline = Date.now() + 15_000;
    while (!(dispatcher().length === nodes.length && dispatcher().every((d) => d.flags.startsWith('A')))) {
      if (proxy.exitCode !== null || Date.now() > deadline) throw new Error(`Kamailio did not find every node up: ${JSON.stringify(dispatcher())}\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    return {
      nodes: started.map((node, i) => ({
        ...node,
        name: nodes[i]!.name,
        kill: () => process.kill(Number(readFileSync(join(node.dir, 'run', 'asterisk.pid'), 'utf8').trim()), 'SIGKILL'),
        restart: async () => {
          const conf = join(node.etcDir, 'asterisk.conf');
          const child = spawn('asterisk', ['-C', conf, '-f', '-n', '-g'], { stdio: 'ignore' });
          restarted.push({ child, conf });
          const until = Date.now() + 30_000;
          while (!node.cli('core waitfullybooted').includes('fully booted')) {
            if (child.exitCode !== null || Date.now() > until) throw new Error(`node ${nodes[i]!.name} did not start again`);
            await new Promise((r) => setTimeout(r, 200));
          }
        },
        channels: (prefix) =>
          node
            .cli('core show channels concise')
            .split('\n')
            .filter((l) => l.startsWith(prefix)),
      })),
      proxyPort,
      dir,
      dispatcher,
      proxyOutput: () => output,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

const work = mkdtempSync(join(tmpdir(), 'hotline-sipp-cluster-'));
export const removeSippFiles = () => rmSync(work, { recursive: true, force: true });

/**
 * PSTN callers sent to the proxy at `proxyPort` (or anything else there; from `localIp`, default 127.0.0.1) (sipp/caller-proxied.xml), `ratePerSecond` apart, each with its number and the
 * RTP port its SDP offers; each hangs up after `stayMs`. Resolves when sipp exits: code 0 when every call was
 * answered and ended well; `failed` is sipp's count of failed calls.
 */
export async function callsThroughProxy(
  proxyPort: number,
  calls: Array<{ caller: string; mediaPort: number }>,
  o: { stayMs: number; ratePerSecond?: number; localIp?: string },
): Promise<{ done: Promise<{ code: number | null; failed: number; output: string }>; stop(): void }> {
  const file = join(work, `caller-proxied-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, readFileSync(resolve(import.meta.dirname, 'sipp', 'caller-proxied.xml'), 'utf8').replaceAll('%STAY_MS%', String(o.stayMs)));
  writeFileSync(`${file}.csv`, ['SEQUENTIAL', ...calls.map((c) => `${c.caller};${c.mediaPort}`), ''].join('\n'));
  const n = String(calls.length);
  const sipPort = await freeUdpPort();
  const mediaPort = await freeUdpPorts(4);
  const args = ['-sf', file, '-inf', `${file}.csv`, `127.0.0.1:${proxyPort}`, '-s', '12368', '-i', o.localIp ?? '127.0.0.1', '-p', String(sipPort), '-mi', o.localIp ?? '127.0.0.1', '-mp', String(mediaPort)];
  args.push('-m', n, '-l', n, '-r', String(o.ratePerSecond ?? 10), '-nostdin', '-timeout', `${Math.ceil(o.stayMs / 1000) + 60}s`, '-trace_err', '-error_file', `${file}.errors`, '-trace_stat', '-stf', `${file}.stat`);
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const done = new Promise<{ code: number | null; failed: number; output: string }>((ok) =>
    child.once('exit', (code) => {
      const read = (f: string) => {
        try {
          return readFileSync(f, 'utf8');
        } catch {
          return '';
        }
      };
      // The statistics file: a header line and one line per period; FailedCall(C) is the cumulated count.
      const [head, ...rows] = read(`${file}.stat`).trim().split('\n');
      const column = (head ?? '').split(';').indexOf('FailedCall(C)');
      const failed = column >= 0 && rows.length > 0 ? Number(rows.at(-1)!.split(';')[column]) : NaN;
      ok({ code, failed, output: `${output}\n${read(`${file}.errors`)}`.trim() });
    }),
  );
  return { done, stop: () => child.kill('SIGTERM') };
}
