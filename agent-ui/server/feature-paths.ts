import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The addresses of the pages the feature folders add (`src/pages/<name>/feature.ts`, `path: '/…'`), so a reload or a
 * link straight to one gets the console, as the built-in pages do. Read from the sources as text: the server runs
 * compiled and cannot load the browser's modules, and the paths are plain string literals by convention.
 */
export function featurePaths(pagesDir: string): string[] {
  if (!existsSync(pagesDir)) return [];
  const found = new Set<string>();
  for (const name of readdirSync(pagesDir)) {
    const file = join(pagesDir, name, 'feature.ts');
    if (!existsSync(file)) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/\bpath:\s*'(\/[A-Za-z0-9/:_-]*)'/g)) found.add(match[1]!);
  }
  return [...found];
}
