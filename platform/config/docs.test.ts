import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../db/migration-sets.ts';
import { envNames } from './schema.ts';

describe('docs/configuration.md', () => {
  it('documents every variable and file key the schema accepts', () => {
    const doc = readFileSync(join(repoRoot, 'docs/configuration.md'), 'utf8');
    for (const [path, name] of Object.entries(envNames)) {
      expect(doc, `${name} is not documented`).toContain(`| \`${name}\` | \`${path}\` |`);
    }
  });
});
