import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../platform/db/migration-sets.ts';
import { menuOptions, prompts } from './menu.ts';

const dir = join(repoRoot, 'asterisk-config/sounds/zh');

describe('voice prompts', () => {
  it('ships every prompt the controller plays as 8 kHz audio with its text beside it', () => {
    for (const prompt of prompts) {
      expect(existsSync(join(dir, `${prompt}.txt`)), `${prompt}.txt`).toBe(true);
      const wav = readFileSync(join(dir, `${prompt}.wav`));
      expect(wav.toString('ascii', 0, 4), prompt).toBe('RIFF');
      expect(wav.readUInt32LE(24), `${prompt} sample rate`).toBe(8000);
    }
  });

  it('the menu prompt names every option and its digit', () => {
    const text = readFileSync(join(dir, 'menu.txt'), 'utf8');
    const spoken: Record<string, string> = { '0': '零', '1': '一', '2': '二', '3': '三' };
    for (const option of menuOptions) expect(text).toContain(`按${spoken[option.digit]}`);
  });
});
