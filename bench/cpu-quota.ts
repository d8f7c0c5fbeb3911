/**
 * A fixed CPU quota for a group of benchmark processes (Linux cgroup v1 `cpu` controller, CFS bandwidth): on one
 * machine, it stands for "these processes on a host of their own, of this many cores". The group is made under the
 * caller's own cgroup (so it stays inside whatever limits the caller has), gets `cpu.cfs_quota_us` out of every
 * `cpu.cfs_period_us`, and is removed afterwards. With a `cpuacct` hierarchy, the group's CPU time is counted too.
 *
 * Processes join by being forked from inside: the caller moves itself in, forks (child_process forks synchronously,
 * and a child starts in its parent's cgroup, as do its own children), and moves itself straight back out, before
 * anything is awaited; so no pid needs to be known and nothing the caller runs afterwards is capped.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Counters of a group since it was made: CPU time (null without cpuacct) and CFS throttling. */
export interface QuotaCounters {
  usageNs: number | null;
  periods: number;
  throttledPeriods: number;
  throttledNs: number;
}

const prefix = 'hotline-bench-';

/** Where this process sits in a cgroup v1 hierarchy that has `controller`: the directory, or null. */
function ownCgroupDir(controller: string): string | null {
  // mountinfo: "id parent maj:min root mountpoint opts ... - fstype source superopts"
  const mount = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' - '))
    .map(([left, right]) => ({ left: left?.split(' ') ?? [], right: right?.split(' ') ?? [] }))
    .find(({ right }) => right[0] === 'cgroup' && (right[2] ?? '').split(',').includes(controller));
  if (!mount) return null;
  const [root, point] = [mount.left[3]!, mount.left[4]!];
  const line = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .map((l) => l.split(':'))
    .find((f) => f.length >= 3 && f[1]!.split(',').includes(controller));
  if (!line) return null;
  const path = line.slice(2).join(':');
  // In a container without a cgroup namespace the mount's root is our own group's path; inside one, "/".
  const rel = root !== '/' && path.startsWith(root) ? path.slice(root.length) : path;
  return join(point, rel);
}

/** Removes groups left by earlier runs whose process is gone (a run that was killed cannot clean up after itself). */
function sweepStale(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(new RegExp(`^${prefix}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      try {
        rmdirSync(join(parent, name));
      } catch {
        // Still has processes in it: leave it.
      }
    }
  }
}

export class CpuQuotaGroup {
  private constructor(
    readonly name: string,
    readonly cores: number,
    readonly periodUs: number,
    private readonly cpu: { dir: string; home: string },
    private readonly acct: { dir: string; home: string } | null,
  ) {}

  /** Makes the group, or throws an Error whose message says why it cannot (not root, no cpu controller, …). */
  static create(label: string, cores: number, periodMs: number): CpuQuotaGroup {
    if (process.platform !== 'linux') throw new Error(`cgroups are Linux only (this is ${process.platform})`);
    if (!(cores > 0)) throw new Error(`a quota of ${cores} cores is not a quota`);
    const periodUs = Math.round(periodMs * 1000);
    // The kernel accepts periods of 1 ms to 1 s and quotas of at least 1 ms.
    if (periodUs < 1000 || periodUs > 1_000_000) throw new Error(`period ${periodMs} ms: the kernel accepts 1 to 1000 ms`);
    const quotaUs = Math.round(cores * periodUs);
    if (quotaUs < 1000) throw new Error(`quota ${quotaUs} µs per period is under the kernel's 1 ms minimum: raise the period`);
    const home = ownCgroupDir('cpu');
    if (!home) throw new Error('no cgroup v1 hierarchy with the cpu controller is mounted (cgroup v2 only, or none)');
    if (!existsSync(join(home, 'cpu.cfs_quota_us'))) throw new Error(`${home} has no cpu.cfs_quota_us (kernel without CFS bandwidth control)`);
    const name = `${prefix}${process.pid}-${label}`;
    const make = (parent: string) => {
      sweepStale(parent);
      const dir = join(parent, name);
      try {
        mkdirSync(dir);
      } catch (err) {
        throw new Error(`cannot make ${dir}: ${(err as Error).message}${process.getuid?.() === 0 ? '' : ' (not root)'}`);
      }
      return dir;
    };
    const cpuDir = make(home);
    try {
      writeFileSync(join(cpuDir, 'cpu.cfs_period_us'), String(periodUs));
      writeFileSync(join(cpuDir, 'cpu.cfs_quota_us'), String(quotaUs));
    } catch (err) {
      rmdirSync(cpuDir);
      throw new Error(`cannot set the quota in ${cpuDir}: ${(err as Error).message}`);
    }
    // CPU time by cpuacct: the same directory where cpu and cpuacct are mounted together, else a twin group.
    let acct: { dir: string; home: string } | null = null;
    if (existsSync(join(cpuDir, 'cpuacct.usage'))) acct = { dir: cpuDir, home };
    else {
      const acctHome = ownCgroupDir('cpuacct');
      try {
        if (acctHome) acct = { dir: make(acctHome), home: acctHome };
      } catch {
        acct = null;
      }
    }
    const group = new CpuQuotaGroup(name, quotaUs / periodUs, periodUs, { dir: cpuDir, home }, acct);
    process.once('exit', () => group.removeNow());
    return group;
  }

  get quotaUs(): number {
    return Math.round(this.cores * this.periodUs);
  }

  /**
   * Runs `spawn` with this process inside the group, so what it forks starts there, and moves back out before
   * awaiting its result. `spawn` must fork before its first await (BenchChild.fork does).
   */
  async forkInside<T>(spawn: () => Promise<T>): Promise<T> {
    const dirs = [this.cpu, ...(this.acct && this.acct.dir !== this.cpu.dir ? [this.acct] : [])];
    let pending: Promise<T>;
    try {
      // Joining inside the try: if the second join fails, the finally still takes the bench out of the first.
      for (const d of dirs) writeFileSync(join(d.dir, 'cgroup.procs'), String(process.pid));
      pending = spawn();
    } finally {
      for (const d of dirs) writeFileSync(join(d.home, 'cgroup.procs'), String(process.pid));
    }
    const members = this.pids();
    if (members.includes(process.pid)) throw new Error(`the bench process is still in ${this.cpu.dir}`);
    if (members.length === 0) throw new Error(`nothing was forked into ${this.cpu.dir}`);
    return pending;
  }

  /** The processes in the group now. */
  pids(): number[] {
    return readFileSync(join(this.cpu.dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  }

  counters(): QuotaCounters {
    const stat = Object.fromEntries(
      readFileSync(join(this.cpu.dir, 'cpu.stat'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ') as [string, string])
        .map(([k, v]) => [k, Number(v)]),
    );
    let usageNs: number | null = null;
    try {
      if (this.acct) usageNs = Number(readFileSync(join(this.acct.dir, 'cpuacct.usage'), 'utf8'));
    } catch {
      usageNs = null;
    }
    return { usageNs, periods: stat.nr_periods ?? 0, throttledPeriods: stat.nr_throttled ?? 0, throttledNs: stat.throttled_time ?? 0 };
  }

  /** Removes the group once its processes have exited (waits up to 5 s for them); warns if it cannot. */
  async remove(): Promise<void> {
    const deadline = Date.now() + 5000;
    while (this.pids().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!this.removeNow()) console.warn(`cgroup ${this.cpu.dir} still holds ${this.pids().join(', ')}: not removed`);
  }

  private removeNow(): boolean {
    let ok = true;
    for (const dir of new Set([this.cpu.dir, this.acct?.dir].filter((d): d is string => !!d))) {
      try {
        if (existsSync(dir)) rmdirSync(dir);
      } catch {
        ok = false;
      }
    }
    return ok;
  }
}

/** What one round did in a group: cores used on average (null without cpuacct) and the share of periods throttled. */
export function quotaUse(before: QuotaCounters, after: QuotaCounters, wallMs: number): { cores: number | null; throttled: number } {
  const periods = after.periods - before.periods;
  return {
    cores: before.usageNs === null || after.usageNs === null ? null : (after.usageNs - before.usageNs) / 1e6 / wallMs,
    throttled: periods > 0 ? (after.throttledPeriods - before.throttledPeriods) / periods : 0,
  };
}

/** The slice of a group's quota the kernel hands to one core at a time (µs), or null where it does not say. */
export function cfsSliceUs(): number | null {
  try {
    return Number(readFileSync('/proc/sys/kernel/sched_cfs_bandwidth_slice_us', 'utf8'));
  } catch {
    return null;
  }
}
