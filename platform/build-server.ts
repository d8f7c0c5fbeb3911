/**
 * Compiles the server into one ES module, dist/server/main.js (npm start runs it with plain node). Running
 * TypeScript through tsx at run time costs about 80 MB of memory (its loader thread and transform caches)
 * and start-up time; production runs compiled code. Dependencies stay in node_modules (not bundled).
 * The output sits two levels below the repository, like every source file, so paths resolved from
 * `import.meta.url` (repoRoot) stay right.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Bundles one entry (relative to the repository) into dist/<folder>/<name>.js. */
export async function bundleEntry(entry: string, folder = 'server'): Promise<string> {
  const name = entry.replace(/^.*\//, '').replace(/\.ts$/, '.js');
  const outfile = join(root, 'dist', folder, name);
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const startedAt = Date.now();
  const outfile = await bundleEntry('main.ts');
  console.log(`server built in ${Date.now() - startedAt} ms (${outfile.slice(root.length)})`);
}
