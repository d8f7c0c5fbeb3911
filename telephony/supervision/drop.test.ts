import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AriAdapter } from '../ari/adapter.ts';
import type { AriCommand } from '../ari/types.ts';
import { CallStore } from '../calls/call-store.ts';
import { useDesks } from '../../test/harness/desks.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';
import { SupervisionController } from './controller.ts';
import { SupervisionViews } from './view-store.ts';

// A node let go (drop) while a supervision's step is running: the step writes nothing more, so a view, a session or
// a ringing leg never appears after the loss, and an old tear-down never deletes the view of the node's new holder.
// Its own supervision controller over the stand-in's adapter (real calls, views in Redis); the test lets its
// hangups and call lookups through when it wants.
const t = await useTelephonyOverSim({ env: { HOTLINE_ROLES: 'api,telephony' } });
const { operatorOnCall } = useDesks(t, 'opdr');
const deps = t.hotline.deps;
t.sim.endpoint('mgrdr').register().answerAfter(30);

let holdHangups = false;
let holdLookups = false;
const held: string[] = [];
const waiting: Array<() => void> = [];
const letThrough = () => {
  holdHangups = holdLookups = false;
  waiting.splice(0).forEach((go) => go());
};
const wait = () => new Promise<void>((resolve) => waiting.push(resolve));
const gated = new Proxy(t.rt.ari, {
  get(target, prop) {
    if (prop === 'execute')
      return async (c: AriCommand) => {
        if (c.kind === 'hangup' && holdHangups) {
          held.push(c.channelId);
          await wait();
        }
        return target.execute(c);
      };
    const v = Reflect.get(target, prop);
    return typeof v === 'function' ? v.bind(target) : v;
  },
}) as AriAdapter;
const calls = new CallStore(deps.redis, deps.config.redis.prefix, deps.config.ari.app, deps.logger);
const views = new SupervisionViews(deps.redis, deps.config.redis.prefix);
const supervision = new SupervisionController({
  ari: gated,
  calls: t.rt.controller,
  store: {
    get: async (callId: string) => {
      if (holdLookups) {
        held.push(callId);
        await wait();
      }
      return calls.get(callId);
    },
  },
  views,
  events: deps.events,
  showsOperator: async () => false,
  logger: deps.logger,
  ringSeconds: 5,
});
t.rt.ari.onEvent((event) => supervision.handle(event));
const supervisorId = randomUUID();
const legOf = (callId: string) => [...t.sim.asterisk.channels.values()].find((c) => c.id.startsWith(`${callId}-sv`) && !c.ended);

describe('a supervision controller that lets its node go while a step runs', () => {
  it('a start in flight makes no session, view or leg', async () => {
    const desk = await operatorOnCall('13700004101');
    await expect.poll(async () => (await calls.get(desk.callId))?.state.phase).toBe('connected');
    holdLookups = true;
    const started = supervision.request({ action: 'start', callId: desk.callId, supervisorId, dial: 'PJSIP/mgrdr', mode: 'listen' });
    await expect.poll(() => held).toContain(desk.callId);
    supervision.drop();
    letThrough();
    await started;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(supervision.session(desk.callId)).toBeUndefined();
    expect(await views.get(desk.callId)).toBeNull();
    expect(legOf(desk.callId)).toBeUndefined();
  });

  it("an old tear-down leaves the view of the node's new holder in place", async () => {
    const desk = await operatorOnCall('13700004102');
    await supervision.request({ action: 'start', callId: desk.callId, supervisorId, dial: 'PJSIP/mgrdr', mode: 'listen' });
    await expect.poll(async () => (await views.get(desk.callId))?.status, { timeout: 8000 }).toBe('active');
    held.length = 0;
    holdHangups = true;
    const stopped = supervision.request({ action: 'stop', callId: desk.callId, supervisorId, by: supervisorId });
    await expect.poll(() => held.length).toBeGreaterThan(0);
    supervision.drop();
    // The node's new holder starts a supervision of the call: its view.
    const theirs = { callId: desk.callId, courtId: t.courtId, supervisorId: randomUUID(), mode: 'barge' as const, status: 'ringing' as const, since: Date.now() };
    await views.set(theirs);
    letThrough();
    await stopped;
    // The tear-down's hangups reached the stand-in; a moment more for anything it would still write.
    await expect.poll(() => legOf(desk.callId)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await views.get(desk.callId)).toEqual(theirs);
  });
});
