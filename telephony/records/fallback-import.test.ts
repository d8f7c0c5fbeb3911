import { loggedLines } from '../../test/harness/logged.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FallbackContext } from './fallback-cdr.ts';
import { FallbackImporter } from './fallback-import.ts';
import type { JournalRecord } from './records.ts';

// A fallback CDR file with a line that cannot be read: the readable calls are imported, the file goes, and the
// unreadable line is kept beside it (and logged as an error), never deleted with the file.
const dir = mkdtempSync(join(tmpdir(), 'hotline-cdr-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = { hotline: 'fallback', uniqueid: '1795272388.0', linkedid: '1795272388.0', start: 1795272388.1, answer: 1795272388.2, end: 1795272400.5, src: '13800000401', dialled: '12368', channel: 'PJSIP/trunk-00000000', dstchannel: '', disposition: 'ANSWERED', billsec: 12, court: '', result: '', hangup_source: 'PJSIP/trunk-00000000', operator_answered: '' };
const context: FallbackContext = { operatorByEndpoint: new Map(), courtFor: () => '0b7e3c1e-3a4c-4a57-9a52-5c0f3b1f9d11', isOpen: () => true };

describe('the fallback CDR import', () => {
  it('keeps lines it cannot read beside the file and says so as an error', async () => {
    const file = join(dir, 'hotline-cdr.jsonl');
    const cut = '{"hotline":"fallback","uniqueid":"1795272390.4","linkedid":"1795272390.4","start":17952';
    const noEnd = JSON.stringify({ ...call, uniqueid: '1795272391.0', linkedid: '1795272391.0', end: '' });
    writeFileSync(file, `${JSON.stringify(call)}\n${cut}\n${noEnd}\n`);
    const written: JournalRecord[] = [];
    const { logger, lines } = loggedLines();
    let databaseAway = true;
    const write = async (records: JournalRecord[]) => {
      if (databaseAway) throw new Error('connect ECONNREFUSED');
      written.push(...records);
    };
    const importer = new FallbackImporter({ file, write, context: async () => context, logger });

    // PostgreSQL away: nothing imported, nothing kept aside yet (the next run would keep the lines twice).
    expect(await importer.run()).toBe(0);
    expect(existsSync(`${file}.malformed`)).toBe(false);
    databaseAway = false;
    expect(await importer.run()).toBe(1);
    expect(written.filter((r) => r.kind === 'call_started')).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(`${file}.malformed`, 'utf8')).toBe(`${cut}\n${noEnd}\n`);
    expect(lines.filter((l) => l.level === 'error')).toEqual([{ level: 'error', fields: expect.objectContaining({ malformed: 2, keptIn: `${file}.malformed` }), msg: 'fallback CDR lines that cannot be read: not imported, kept aside' }]);
  });
});
