/**
 * Benchmarks that put each side in its own process (as in production) talk to those processes through
 * this: the child serves named requests over Node's IPC channel, the parent asks and awaits the answer.
 */
import { fork, type ChildProcess } from 'node:child_process';

type Handler = (arg: any) => unknown;
type Message = { ready: unknown } | { id: number; result?: unknown; error?: string };

/** In the child: answers the parent's requests with these handlers, then says it is ready. */
export function serveParent(handlers: Record<string, Handler>, ready: unknown = true): void {
  process.on('message', (m: { id: number; kind: string; arg?: unknown }) => {
    void (async () => {
      try {
        const handler = handlers[m.kind];
        if (!handler) throw new Error(`no handler for ${m.kind}`);
        process.send!({ id: m.id, result: await handler(m.arg) });
      } catch (err) {
        process.send!({ id: m.id, error: (err as Error).stack ?? String(err) });
      }
    })();
  });
  process.send!({ ready });
}

/** CPU time (ms) and RSS (MB) of the process calling it. */
export function usage(): { cpuMs: number; rssMb: number } {
  const cpu = process.cpuUsage();
  return { cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 2 ** 20 };
}

/** In the parent: one child process and its requests. */
export class BenchChild<R = unknown> {
  private seq = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(
    private readonly child: ChildProcess,
    readonly ready: R,
  ) {
    child.on('message', (m: Message) => {
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
  }

  static async fork<R>(file: string, options: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}): Promise<BenchChild<R>> {
    const child = fork(file, { env: { ...process.env, ...options.env }, execArgv: options.execArgv ?? [] });
    const ready = await new Promise<R>((resolve, reject) => {
      child.once('message', (m: Message) => ('ready' in m ? resolve(m.ready as R) : reject(new Error('child spoke before it was ready'))));
      child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
    });
    return new BenchChild<R>(child, ready);
  }

  ask<T>(kind: string, arg?: unknown): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, kind, arg });
    });
  }

  /** Asks the child to stop and waits for it to exit. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.ask('stop').catch(() => undefined);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    this.child.kill('SIGKILL');
  }
}
