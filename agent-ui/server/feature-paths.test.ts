import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/db/migration-sets.ts';
import { featurePaths } from './feature-paths.ts';

describe('featurePaths', () => {
  it("lists the addresses the console's feature folders declare", () => {
    expect(featurePaths(join(repoRoot, 'agent-ui/src/pages'))).toEqual(expect.arrayContaining(['/supervision', '/reports']));
  });

  it('reads every page of a feature, route parameters included, and skips folders without a feature.ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pages-'));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'feature.ts'), "pages: [{ path: '/a', label: 'a.nav' }, { path: '/a/:id', menu: false }]");
    writeFileSync(join(dir, 'b', 'Page.tsx'), "const path: '/not-a-page'");
    expect(featurePaths(dir).sort()).toEqual(['/a', '/a/:id']);
    expect(featurePaths(join(dir, 'missing'))).toEqual([]);
  });
});
