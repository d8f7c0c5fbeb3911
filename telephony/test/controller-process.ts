import { spawn, type ChildProcess } from 'node:child_process';
import { bundleEntry } from '../../platform/build-server.ts';
import { serverNodeFlags } from '../../platform/runtime/node-flags.ts';
import { testRedisUrl } from '../../test/harness/redis.ts';

/**
 * The hotline's controller as a real process (the compiled server npm start runs), so a test can SIGKILL
 * it mid-call the way a crash or an OOM kill would, and start another. Its JSON log lines are kept.
 */
export class ControllerProcess {
  readonly lines: Array<Record<string, unknown>> = [];
  private exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not a log line
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => this.lines.push({ stderr: chunk.toString() }));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static async start(env: Record<string, string>): Promise<ControllerProcess> {
    const main = await bundleEntry('main.ts');
    const child = spawn(process.execPath, [...serverNodeFlags, main], {
      env: { PATH: process.env.PATH, HOTLINE_PORT: '0', HOTLINE_ROLES: 'telephony', REDIS_URL: testRedisUrl, REDIS_AUTOSTART: 'false', LOG_LEVEL: 'info', LOG_PRETTY: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ControllerProcess(child);
  }

  /** Resolves with the first log line matching, or rejects after timeoutMs. */
  async logged(match: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms; last: ${JSON.stringify(this.lines.slice(-5))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** A crash: SIGKILL, nothing saved on the way out. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 10_000))]);
    this.child.kill('SIGKILL');
  }
}
