import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { AriAdapter } from '../ari/adapter.ts';
import type { AriCommand } from '../ari/types.ts';
import { startAriSim, type AriSim } from '../ari-sim/index.ts';
import { recordBridge } from './bridge-recording.ts';
import { until } from '../test/over-sim.ts';
import { recordingName } from './names.ts';

/**
 * A bridge's take when the call's previous take is still live (a loaded Asterisk closing it late): over the
 * stand-in's real ARI, whose bridges/record refuses (409) a name that is live, as Asterisk does.
 */
describe('recording the next bridge of a call', () => {
  let sim: AriSim;
  let adapter: AriAdapter;
  const log = createLogger({ level: 'silent', pretty: false });
  beforeAll(async () => {
    sim = await startAriSim({ app: 'takes' });
    adapter = new AriAdapter({ url: sim.url, username: sim.username, password: sim.password, app: 'takes', logger: log });
    adapter.start();
    await until(() => adapter.connected);
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    await adapter.stop();
    await sim.stop();
  });

  /** A call whose first bridge is being recorded; `posts` counts every record request the adapter sends. */
  async function callWithLiveTake() {
    const callId = randomUUID();
    const name = recordingName(callId, 'conversation');
    const call = await sim.placeCall();
    await adapter.execute({ kind: 'answer', channelId: call.channelId! });
    for (const bridgeId of [`${callId}-br`, `${callId}-tb1`]) await adapter.execute({ kind: 'createBridge', bridgeId });
    await adapter.execute({ kind: 'addToBridge', bridgeId: `${callId}-br`, channelIds: [call.channelId!] });
    await adapter.execute({ kind: 'recordBridge', bridgeId: `${callId}-br`, name });
    const posts: string[] = [];
    const execute = adapter.execute.bind(adapter);
    vi.spyOn(adapter, 'execute').mockImplementation((command: AriCommand) => {
      if (command.kind === 'recordBridge') posts.push(command.bridgeId);
      return execute(command);
    });
    const warn = vi.spyOn(log, 'warn');
    return { callId, name, posts, warn, liveOn: () => adapter.liveRecordingTarget(name) };
  }

  it('waits for the previous take to close, then starts its own with one more request (not one per retry)', async () => {
    const take = await callWithLiveTake();
    setTimeout(() => void adapter.execute({ kind: 'stopRecording', name: take.name }), 400);
    await recordBridge(adapter, take.callId, `${take.callId}-tb1`, log, { pollMs: 20, patienceMs: 5000 });
    expect(await take.liveOn()).toBe(`bridge:${take.callId}-tb1`);
    expect(take.posts).toEqual([`${take.callId}-tb1`, `${take.callId}-tb1`]);
    expect(take.warn).not.toHaveBeenCalled();
  });

  it('goes unrecorded, with a warning, when the previous take outlasts its patience', async () => {
    const take = await callWithLiveTake();
    await recordBridge(adapter, take.callId, `${take.callId}-tb1`, log, { pollMs: 20, patienceMs: 300 });
    expect(await take.liveOn()).toBe(`bridge:${take.callId}-br`);
    expect(take.posts).toEqual([`${take.callId}-tb1`]);
    expect(take.warn).toHaveBeenCalledWith(expect.objectContaining({ liveOn: `bridge:${take.callId}-br` }), expect.stringContaining('still live'));
  });

  it('leaves a take already live on this very bridge as it is (a bridge joined again after a restart)', async () => {
    const take = await callWithLiveTake();
    await recordBridge(adapter, take.callId, `${take.callId}-br`, log, { pollMs: 20, patienceMs: 5000 });
    expect(await take.liveOn()).toBe(`bridge:${take.callId}-br`);
    expect(take.posts).toEqual([`${take.callId}-br`]);
    expect(take.warn).not.toHaveBeenCalled();
  });
});
