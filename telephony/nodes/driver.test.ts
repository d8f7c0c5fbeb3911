import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import { NodeDriver, type NodeTenure } from './driver.ts';
import type { NodeLease } from './lease.ts';

// A hand-over that runs past the lease is cut off (fenced): its leave() must not flush this tenure's snapshots over
// the calls the controller now holding the node has saved.
const logger = createLogger({ level: 'silent', pretty: false });
const ari = { onEvent() {}, onConnected() {}, start() {}, suspend() {}, stop: async () => {} } as unknown as AriAdapter;

function driverWithSlowIdle() {
  let finishIdle!: () => void;
  const flushed: string[] = [];
  const tenure = {
    store: { flush: () => flushed.push('flush') },
    controller: { stopAccepting() {}, idle: () => new Promise<void>((r) => (finishIdle = r)), detach() {}, handle() {} },
    reconciler: { run: async () => {} },
    dispatcher: {},
  } as unknown as NodeTenure;
  const driver = new NodeDriver('n1', ari, { node: 'n1' } as NodeLease, () => tenure, logger);
  // The keeper's callbacks (onAcquired, onHandOver, onLost), as it calls them.
  const hooks = driver as unknown as { take(): void; leave(): Promise<void>; fence(): void };
  hooks.take();
  return { hooks, flushed, finishIdle: () => finishIdle() };
}

describe('NodeDriver hand-over', () => {
  it('saves the calls in hand when it finishes in time', async () => {
    const d = driverWithSlowIdle();
    const leaving = d.hooks.leave();
    await Promise.resolve();
    d.finishIdle();
    await leaving;
    expect(d.flushed).toEqual(['flush']);
  });

  it('does not flush once fenced while waiting for the calls to go idle', async () => {
    const d = driverWithSlowIdle();
    const leaving = d.hooks.leave();
    await Promise.resolve();
    d.hooks.fence();
    d.finishIdle();
    await leaving;
    expect(d.flushed).toEqual([]);
  });
});
