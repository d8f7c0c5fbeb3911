import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LiveState } from '../acd/live-state.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import { AriUnavailable } from '../ari/errors.ts';
import type { AriCommand } from '../ari/types.ts';
import { AttemptStore } from './attempt-store.ts';
import { OutboundController } from './controller.ts';
import { OutboundScheduler } from './scheduler.ts';
import { useOutboundOverSim } from './testing/outbound-over-sim.ts';
import type { OutboundRequest } from './types.ts';

// A node let go (detach) while an attempt's step or start is still running: the old controller writes nothing more,
// so the node's next holder, which settles the saved attempts, is not overwritten. Its own controller over the
// stand-in's adapter, whose originates wait for the test to let them through.
const t = await useOutboundOverSim();
const deps = t.hotline.deps;
let release = () => {};
const held: string[] = [];
// Hangups wait (a step in flight); everything else goes straight through.
const gated = new Proxy(t.rt.ari, {
  get(target, prop) {
    if (prop === 'execute')
      return async (c: AriCommand) => {
        if (c.kind === 'hangup') {
          held.push(c.channelId);
          await new Promise<void>((resolve) => (release = resolve));
        }
        return target.execute(c);
      };
    const v = Reflect.get(target, prop);
    return typeof v === 'function' ? v.bind(target) : v;
  },
}) as AriAdapter;
const store = new AttemptStore(deps.redis, deps.config.redis.prefix, `detach-${randomUUID().slice(0, 6)}`);
const controller = new OutboundController({
  ari: gated,
  live: new LiveState(deps.redis, deps.config.redis.prefix),
  presence: undefined as never, // survey mode: no operator
  journal: t.rt.journal,
  events: deps.events,
  scheduler: new OutboundScheduler(deps.queues),
  store,
  calendar: { isOpen: () => true } as never,
  trunkDial: 'PJSIP/{number}@trunk',
  callerId: '12368',
  soundsDir: '/snd',
  settings: { operatorRingMs: 5000, callerRingMs: 300, inputTimeoutMs: 5000 },
  policy: { attempts: 3, spacingMs: 1000 },
  logger: deps.logger,
});

const request = (): OutboundRequest => ({
  id: randomUUID(),
  courtId: t.courtId,
  purpose: 'return_visit',
  mode: 'survey',
  ticketId: null,
  callId: null,
  number: '13600000051',
  requestedBy: { userId: randomUUID(), role: 'operator', courtId: t.courtId, departmentId: null },
  endpoint: null,
});

describe('an outbound controller detached while its work is running', () => {
  it('a step in flight when the node is let go writes nothing after: the saved attempt stays for the next holder, no retry', async () => {
    const r = request();
    await controller.startAttempt(r, 1);
    // The caller does not answer: the ring timeout's step hangs up (held here), logs the leg and ends the attempt.
    await expect.poll(() => held, { timeout: 5000 }).toEqual([`ob-${r.id}-1-cl`]);
    const stepDone = controller.idle();
    controller.detach();
    release();
    await stepDone;
    expect((await store.list()).map((s) => s.state.id)).toEqual([r.id]);
    expect(await controller.queue.getJob(`ob-${r.id}-2`)).toBeUndefined();
    await t.rt.ari.execute({ kind: 'hangup', channelId: `ob-${r.id}-1-cl` }).catch(() => undefined);
  });

  it('an attempt starting when the node is let go fails (retried by the queue), saved nowhere and dialling nothing', async () => {
    const r = request();
    const started = controller.startAttempt(r, 1);
    controller.detach();
    await expect(started).rejects.toThrow(AriUnavailable);
    expect((await store.list()).filter((s) => s.state.id === r.id)).toEqual([]);
    expect(controller.holds(r.id)).toBe(false);
    expect(t.sim.channels().filter((c) => c.id.startsWith(`ob-${r.id}`))).toEqual([]);
    expect(held).toHaveLength(1);
  });
});
