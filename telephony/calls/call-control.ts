import { duplicateRedis, type Redis } from '../../platform/redis/connect.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { TelephonyError } from '../errors.ts';
import type { CallStore } from './call-store.ts';
import type { CallController } from './controller.ts';
import type { CallInputBody, Phase } from './types.ts';

/** What an operator may ask of the live call they are on. */
export type ControlInput = Extract<CallInputBody, { type: 'transfer_requested' | 'transfer_complete' | 'transfer_cancel' }>;

/**
 * The saved state trails the controller's step by up to CallStore's linger and a Redis write, and the step's events
 * go out before its end (a transfer's `cancelled` before the caller is bridged back): a request in a phase
 * that does not allow it is checked again a few times before it is refused.
 */
const phaseRechecks = [30, 60, 120];

const allowedIn: Record<ControlInput['type'], Phase[]> = {
  transfer_requested: ['connected'],
  transfer_complete: ['consulting'],
  transfer_cancel: ['consulting'],
};

/**
 * Operators' requests for a live call (transfer, complete, cancel), from any API process to the controller
 * holding the call: checked against the call's saved state (same court, the operator on the call, a phase
 * that allows it), then published on Redis; every controller listens and the one holding the call feeds
 * it to the call's own queue. The outcome reaches the console as `call.transfer` events.
 */
export class CallControl {
  private readonly channel: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly store: CallStore,
  ) {
    this.channel = `${prefix}:tel:control`;
  }

  async send(actor: Actor, callId: string, input: ControlInput): Promise<void> {
    for (let check = 0; ; check++) {
      const snapshot = await this.store.get(callId);
      const s = snapshot?.state;
      if (!s || s.courtId !== actor.courtId) throw new TelephonyError('call_not_found', '找不到该通话（可能已结束）', 'no such live call (it may have ended)', 404);
      if (!s.operator || s.operator.userId !== actor.userId || s.operatorLeft) throw new TelephonyError('not_your_call', '只有正在接听该来电的话务员可以操作', 'only the operator on this call may do this', 403);
      // Answered but not yet found in the bridge with the caller: nothing to transfer yet (calls/bridge-failed.ts).
      const unbridged = s.bridging === true && input.type === 'transfer_requested';
      if (allowedIn[input.type].includes(s.phase) && !unbridged) break;
      const wait = phaseRechecks[check];
      if (wait === undefined && unbridged) throw new TelephonyError('call_not_connected', '通话尚未接通，暂不能转接', 'the call is not connected yet: it cannot be transferred', 409);
      if (wait === undefined) throw new TelephonyError('transfer_not_allowed', `通话当前状态（${s.phase}）下不能进行该操作`, `not possible while the call is ${s.phase}`, 409);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await this.redis.publish(this.channel, JSON.stringify({ callId, input }));
  }

  /** In a controller process: delivers requests for the calls it holds. Returns the unsubscribe function. */
  async listen(controller: CallController, logger: Logger): Promise<() => Promise<void>> {
    const sub = duplicateRedis(this.redis, logger, 'call control');
    await sub.subscribe(this.channel);
    sub.on('message', (_channel: string, text: string) => {
      try {
        const { callId, input } = JSON.parse(text) as { callId: string; input: ControlInput };
        if (controller.holdsCall(callId)) controller.submit(callId, { ...input, at: Date.now() });
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'malformed call control message skipped');
      }
    });
    return async () => {
      await sub.quit().catch(() => undefined);
    };
  }
}
