import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { AriAdapter } from '../ari/adapter.ts';
import { startAriSim } from '../ari-sim/index.ts';
import { startAriResetProxy } from '../test/ari-reset-proxy.ts';
import type { LiveCall } from './live-call.ts';
import { newCall } from './machine.ts';
import { channelTagFailures, tagChannel, type TagDeps } from './tagging.ts';

const sim = await startAriSim({ app: 'tagging', username: 'hotline', password: 'hotline', channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'] });
const proxy = await startAriResetProxy(Number(new URL(sim.url).port));
afterAll(async () => {
  await proxy.close();
  await sim.stop();
});
const lines: Array<Record<string, any>> = [];
const logger = createLogger({ level: 'info', pretty: false }, { write: (line: string) => void lines.push(JSON.parse(line)) });
// Requests that get no answer fail after 300 ms (undici's Headers Timeout), as the issue saw under load after 5 s.
// Over HTTP: the relay in front faults HTTP requests.
const adapter = new AriAdapter({ url: `http://127.0.0.1:${proxy.port}`, username: 'hotline', password: 'hotline', app: 'tagging', logger, commandTimeoutMs: 300, restOverWebsocket: false });
afterAll(() => adapter.stop());
adapter.start();
for (const deadline = Date.now() + 5000; !adapter.connected; await new Promise((r) => setTimeout(r, 20))) {
  if (Date.now() > deadline) throw new Error('ARI did not connect');
}

const registry = new Registry();
const deps: TagDeps = { ari: adapter, tagFailures: channelTagFailures(registry), tagRetry: { attempts: 4, baseMs: 20 } };
const failures = async () => (await registry.getSingleMetric('hotline_channel_tag_failures_total')!.get()).values[0]?.value ?? 0;
const setVariable = /^POST \/ari\/channels\/[^/ ]+\/variable/;

async function callOn(from: string): Promise<{ live: LiveCall; channelVars: () => Record<string, string | null> | undefined; hangup: () => void }> {
  const handle = await sim.placeCall({ from });
  const callId = `call-${from}`;
  const live: LiveCall = {
    state: newCall({ callId, channelId: handle.channelId!, courtId: 'court-1', callerNumber: from }),
    arrivedAt: Date.now(),
    dialled: '12368',
    chain: Promise.resolve(),
    timers: new Map(),
    channels: [],
    eventSeq: 1,
    log: logger.child({ callId }),
  };
  return { live, channelVars: () => handle.snapshot()?.channelvars, hangup: () => handle.hangup() };
}

describe('tagging the caller’s channel (HOTLINE_CALL_ID, COURT_ID) through faults', () => {
  it('a tag whose requests time out is tried again and lands', async () => {
    const call = await callOn('13800000801');
    proxy.stallRequests(setVariable, 2);
    expect(await tagChannel(deps, call.live)).toBe(true);
    expect(proxy.faulted(setVariable)).toBe(2);
    expect(call.channelVars()).toEqual({ HOTLINE_CALL_ID: 'call-13800000801', COURT_ID: 'court-1' });
    expect(lines.filter((l) => l.callId === 'call-13800000801' && l.msg === 'channel tag not set: trying again')).toHaveLength(2);
    expect(lines.some((l) => l.level >= 50)).toBe(false);
    expect(await failures()).toBe(0);
    call.hangup();
  });

  it('a tag refused every time is given up after the last try: logged as an error with the call and counted', async () => {
    const call = await callOn('13800000802');
    const before = proxy.faulted(setVariable);
    proxy.resetRequests(setVariable);
    expect(await tagChannel(deps, call.live)).toBe(false);
    proxy.resetRequests(false);
    expect(proxy.faulted(setVariable) - before).toBe(8); // 4 tries of each variable
    expect(call.channelVars()).toEqual({ HOTLINE_CALL_ID: '', COURT_ID: '' });
    const errors = lines.filter((l) => l.level >= 50);
    expect(errors).toEqual([
      expect.objectContaining({ callId: 'call-13800000802', channelId: call.live.state.channelId, attempts: 4, failed: [expect.objectContaining({ variable: 'HOTLINE_CALL_ID' }), expect.objectContaining({ variable: 'COURT_ID' })] }),
    ]);
    expect(await failures()).toBe(1);
    expect(await registry.metrics()).toMatch(/^hotline_channel_tag_failures_total 1$/m);
    call.hangup();
  });

  it('stops at once for a channel that is gone (the caller hung up): nothing to report', async () => {
    const call = await callOn('13800000803');
    call.hangup();
    const errorsBefore = lines.filter((l) => l.level >= 40).length;
    const gone: string[] = [];
    expect(await tagChannel(deps, call.live, (command, err) => gone.push(`${command.kind} ${err.message}`))).toBe(false);
    expect(lines.filter((l) => l.level >= 40).length).toBe(errorsBefore);
    // Told, as of any command that finds the caller's channel gone (the executor takes it as their hangup).
    expect(gone).toEqual(['setVariable setVariable: Channel not found', 'setVariable setVariable: Channel not found']);
    expect(await failures()).toBe(1);
  });

  it('stops retrying once the call has ended', async () => {
    const call = await callOn('13800000804');
    const before = proxy.faulted(setVariable);
    proxy.resetRequests(setVariable);
    const tagged = tagChannel({ ...deps, tagRetry: { attempts: 4, baseMs: 1000 } }, call.live);
    await expect.poll(() => proxy.faulted(setVariable) - before).toBe(2);
    call.live.state = { ...call.live.state, phase: 'ended' }; // during the wait before the second try
    expect(await tagged).toBe(false);
    proxy.resetRequests(false);
    expect(proxy.faulted(setVariable) - before).toBe(2);
    expect(await failures()).toBe(1);
    call.hangup();
  });
});
