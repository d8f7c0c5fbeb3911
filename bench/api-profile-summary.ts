/** Summarises a V8 .cpuprofile: `npx tsx bench/api-profile-summary.ts <file> [top]` → self time by function and by package. */
import { readProfile } from './cpu-profile.ts';

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: api-profile-summary.ts <file.cpuprofile> [top]');
const { profile, byId } = readProfile(file);
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return url;
  if (!url) return '(native/idle/gc)';
  return url.replace(/^file:\/\/.*?\/wt-[^/]+\//, '');
};
const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const key = `${functionName || '(anonymous)'}  ${where(url)}${url ? `:${lineNumber + 1}` : ''}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const pkg = where(url);
  pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
}
// Inclusive time: a sample counts once for every package or file on its stack.
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const url = byId.get(at)!.callFrame.url;
    if (url) seen.add(where(url));
  }
  for (const w of seen) inclusive.set(w, (inclusive.get(w) ?? 0) + us);
}
const print = (title: string, map: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
console.log(`total sampled: ${(total / 1000).toFixed(0)} ms`);
print('by package / file', pkgs, 25);
print('inclusive, by package / file', inclusive, 40);
print('by function', fns, Number(topArg ?? 40));
