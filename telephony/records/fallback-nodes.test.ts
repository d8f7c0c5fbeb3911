import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceOf } from '../../platform/deps.ts';
import { afterFile } from '../../test/harness/after-file.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import { until } from '../test/over-sim.ts';
import { useTwoNodes } from '../test/two-nodes.ts';
import type { TelephonyRuntime } from '../plugin.ts';
import { startNodeFallbackImports } from './fallback-start.ts';

// Two ARI stand-ins as two nodes, each with its own CDR file (`{node}` in TELEPHONY_FALLBACK_CDR_FILE): each node's
// fallback calls are imported by the process holding that node, and again by the one that takes the node over; a
// standby's importer, however often it looks, imports nothing.
const { pgc, env: nodesEnv } = await useTwoNodes();
const cdrDir = mkdtempSync(join(tmpdir(), 'hotline-cdr-nodes-'));
afterFile(() => rmSync(cdrDir, { recursive: true, force: true }));
const fileOf = (node: string) => join(cdrDir, node, 'hotline-cdr.jsonl');

/** One fallback call nobody answered, as cdr_custom writes it; both nodes may number their channels alike. */
function writeCdr(node: string, src: string, linkedid: string): void {
  mkdirSync(join(cdrDir, node), { recursive: true });
  const line = { hotline: 'fallback', uniqueid: linkedid, linkedid, start: 1795272388.1, answer: 1795272388.2, end: 1795272400.5, src, dialled: '12368', channel: 'PJSIP/trunk-00000000', dstchannel: '', disposition: 'ANSWERED', billsec: 12, court: '', result: '', hangup_source: 'PJSIP/trunk-00000000', operator_answered: '' };
  writeFileSync(fileOf(node), `${JSON.stringify(line)}\n`);
}
const imported = async (src: string) => (await pgc.query(`select outcome from telephony.calls where caller_number = $1`, [src])).rows.map((r) => r.outcome);

const env = {
  ...nodesEnv,
  HOTLINE_ROLES: 'telephony',
  TELEPHONY_FALLBACK_CDR_FILE: join(cdrDir, '{node}', 'hotline-cdr.jsonl'),
};

describe('the fallback call import with several nodes', () => {
  let a: TelephonyRuntime | undefined;

  it("imports each node's own file by the node's holder, ids apart per node, and by the next holder after a fail-over", async () => {
    // The same linkedid and channel on both nodes (two Asterisks started in the same second): two calls, not one.
    writeCdr('node1', '13800000301', '1795272388.0');
    writeCdr('node2', '13800000302', '1795272388.0');
    const first = serviceOf((await useHotline({ ...env, ARI_NODES_PREFER: 'node1' })).deps, 'telephonyRuntime');
    a = first;
    const b = serviceOf((await useHotline({ ...env, ARI_NODES_PREFER: 'node2' })).deps, 'telephonyRuntime');
    await expect.poll(async () => [await imported('13800000301'), await imported('13800000302')], { timeout: 10_000 }).toEqual([['abandoned_in_queue'], ['abandoned_in_queue']]);
    expect([existsSync(fileOf('node1')), existsSync(fileOf('node2'))]).toEqual([false, false]);
    await until(() => first.nodes!.drivers[0]!.held && b.nodes!.drivers[1]!.held && b.nodes!.drivers[1]!.ari.connected, 10_000);

    // Node 2's holder dies; node 2's fallback calls meanwhile are imported by the controller that takes it over.
    b.nodes!.crash();
    writeCdr('node2', '13800000303', '1795272999.0');
    await until(() => first.nodes!.drivers[1]!.held && first.nodes!.drivers[1]!.ari.connected, 10_000);
    await expect.poll(() => imported('13800000303'), { timeout: 5000 }).toEqual(['abandoned_in_queue']);
    expect(existsSync(fileOf('node2'))).toBe(false);
    expect(await imported('13800000302')).toEqual(['abandoned_in_queue']);
  });

  it("a standby's importer never imports a node's file: it stays until the node's holder imports it", async () => {
    // A holds both nodes; C stands by (no preference, so no hand-over), with importers looking every 100 ms.
    const hotline = await useHotline(env);
    const c = serviceOf(hotline.deps, 'telephonyRuntime');
    startNodeFallbackImports(hotline.deps, c.nodes!, c.calendar, c.directory, hotline.deps.logger, 100);
    await until(() => a!.nodes!.drivers.every((d) => d.held && d.ari.connected), 10_000);
    writeCdr('node2', '13800000304', '1795273111.0');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(c.nodes!.drivers.some((d) => d.held)).toBe(false);
    expect(existsSync(fileOf('node2'))).toBe(true);
    expect(await imported('13800000304')).toEqual([]);

    // A dies: C holds node 2 now and imports the file, once.
    a!.nodes!.crash();
    await until(() => c.nodes!.drivers[1]!.held && c.nodes!.drivers[1]!.ari.connected, 10_000);
    await expect.poll(() => imported('13800000304'), { timeout: 5000 }).toEqual(['abandoned_in_queue']);
    expect(existsSync(fileOf('node2'))).toBe(false);
  });
});
