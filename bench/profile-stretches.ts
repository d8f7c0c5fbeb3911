/**
 * The event loop's long busy stretches in a V8 .cpuprofile: `npx tsx bench/profile-stretches.ts <file> [minMs] [top]`.
 * A stretch is a run of samples with no idle sample between them: one task (or several back to back) holding the
 * thread, during which every call that arrives waits. For each kind of stretch (named by the frames under the
 * root that its time went to), how many there were, their total and longest length, and their share of the run:
 * what a p99 tail is made of, where a flat CPU profile only says what costs most on average.
 */
import { readProfile } from './cpu-profile.ts';

const [file, minArg, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-stretches.ts <file.cpuprofile> [minMs] [top]');
const minUs = Number(minArg ?? 3) * 1000;
const top = Number(topArg ?? 15);
const { profile, byId } = readProfile(file);
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

const short = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  return url.replace(/^file:\/\/.*\//, '');
};
const frameName = (id: number) => {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  return `${functionName || '(anonymous)'}${url ? ` ${short(url)}:${lineNumber + 1}` : ''}`;
};
const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';

/** The project's own frame nearest the root on a sample's stack (else the deepest library frame under the root): names the task. */
function taskOf(id: number): string {
  const stack: number[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) stack.unshift(at);
  const own = stack.find((s) => {
    const url = byId.get(s)!.callFrame.url;
    return url !== '' && !url.includes('node_modules') && !url.startsWith('node:');
  });
  if (own !== undefined) return frameName(own);
  return stack.length > 1 ? frameName(stack[Math.min(stack.length - 1, 2)]!) : frameName(id);
}

interface Stretch {
  us: number;
  tasks: Map<string, number>;
}
const stretches: Stretch[] = [];
let current: Stretch | undefined;
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i + 1] ?? 0;
  totalUs += us;
  if (isIdle(id)) {
    if (current && current.us >= minUs) stretches.push(current);
    current = undefined;
    return;
  }
  current ??= { us: 0, tasks: new Map() };
  current.us += us;
  const task = taskOf(id);
  current.tasks.set(task, (current.tasks.get(task) ?? 0) + us);
});
if (current && current.us >= minUs) stretches.push(current);

// A stretch is named by the task that took most of it.
const kinds = new Map<string, { n: number; us: number; longest: number }>();
for (const s of stretches) {
  const [name] = [...s.tasks].sort((a, b) => b[1] - a[1])[0]!;
  const k = kinds.get(name) ?? { n: 0, us: 0, longest: 0 };
  k.n += 1;
  k.us += s.us;
  k.longest = Math.max(k.longest, s.us);
  kinds.set(name, k);
}
const ms = (us: number) => (us / 1000).toFixed(1);
console.log(`${stretches.length} busy stretches ≥ ${minUs / 1000} ms over ${ms(totalUs)} ms sampled; longest ${ms(Math.max(0, ...stretches.map((s) => s.us)))} ms`);
console.log('count  total ms  longest ms  mostly in');
for (const [name, k] of [...kinds].sort((a, b) => b[1].us - a[1].us).slice(0, top)) {
  console.log(`${String(k.n).padStart(5)}  ${ms(k.us).padStart(8)}  ${ms(k.longest).padStart(10)}  ${name}`);
}
