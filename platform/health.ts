import { withTimeout } from './timeout.ts';

/** A readiness check resolves when its dependency is usable (optionally with what it found) and rejects with the reason when not. */
export type ReadinessCheck = () => Promise<void | string>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string; detail?: string; ms: number }>;
}

/** Capabilities add a check for each dependency they need; /readyz runs them all. */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  constructor(private readonly timeoutMs = 3000) {}

  add(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is registered twice`);
    this.checks.set(name, check);
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.runOne(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, r]) => r.ok), checks };
  }

  private async runOne(check: ReadinessCheck): Promise<ReadinessReport['checks'][string]> {
    const started = performance.now();
    try {
      const detail = await withTimeout(check(), this.timeoutMs);
      return { ok: true, ...(typeof detail === 'string' ? { detail } : {}), ms: Math.round(performance.now() - started) };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err), ms: Math.round(performance.now() - started) };
    }
  }
}
