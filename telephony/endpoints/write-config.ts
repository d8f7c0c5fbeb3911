import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UsersConfig } from './users-config.ts';

export const pjsipUsersFile = 'pjsip_hotline_users.conf';
export const extensionsUsersFile = 'extensions_hotline_users.conf';

/** Writes both files atomically (rename), so Asterisk never reads half a file on a reload. */
export function writeUsersConfig(dir: string, config: UsersConfig): string[] {
  const files: [string, string][] = [
    [join(dir, pjsipUsersFile), config.pjsip],
    [join(dir, extensionsUsersFile), config.extensions],
  ];
  for (const [path, text] of files) {
    writeFileSync(`${path}.tmp`, text, { mode: 0o640 });
    renameSync(`${path}.tmp`, path);
  }
  return files.map(([path]) => path);
}

export interface WrittenConfig {
  pjsip: string;
  extensions: string;
  /** When the PJSIP file was last written; null when there is none yet. */
  writtenAt: Date | null;
}

/** The files as they are now (empty when not written yet). */
export function readUsersConfig(dir: string): WrittenConfig {
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return '';
    }
  };
  let writtenAt: Date | null = null;
  try {
    writtenAt = statSync(join(dir, pjsipUsersFile)).mtime;
  } catch {
    writtenAt = null;
  }
  return { pjsip: read(pjsipUsersFile), extensions: read(extensionsUsersFile), writtenAt };
}
