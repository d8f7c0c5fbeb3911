import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';
import { HotlineError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { duplicateRedis, type Redis } from '../../platform/redis/connect.ts';
import type { Actor } from '../../platform/user-roles.ts';
import type { CallStore } from '../calls/call-store.ts';
import { dialTarget } from '../endpoints/dial-target.ts';
import type { SupervisionMode, SupervisionRequest, SupervisionView } from './types.ts';
import type { SupervisionViews } from './view-store.ts';

const refuse = (code: string, status: number, zh: string, en: string) => new HotlineError(code, status, en, zh);
const callNotFound = () => refuse('call_not_found', 404, '找不到该通话（可能已结束）', 'no such live call (it may have ended)');

/**
 * A head's or manager's supervision requests, from any API process: checked against the call's saved state (same
 * court, caller and operator talking) and who supervises it now, then published on Redis; the controller holding the
 * call carries them out (controller.ts). One supervisor per call at a time. With several nodes (ARI_NODES) a request
 * goes to the channel of the node the call is on (`tel:supervise:<node>`), which only that node's lease holder
 * listens to while it holds the node; one node (ARI_URL) keeps the one channel `tel:supervise`.
 */
export class SupervisionControl {
  private readonly channel: string;

  constructor(
    private readonly d: {
      redis: Redis;
      prefix: string;
      store: Pick<CallStore, 'get' | 'nodeOf'>;
      views: SupervisionViews;
      db: Db;
      trunkDial: string;
    },
  ) {
    this.channel = `${d.prefix}:tel:supervise`;
  }

  /** Joins (or, for the supervisor already on the call, switches to) `mode`. Returns what happens. */
  async join(actor: Actor, callId: string, mode: SupervisionMode): Promise<'start' | 'switch' | 'unchanged'> {
    const s = (await this.d.store.get(callId))?.state;
    if (!s || s.courtId !== actor.courtId) throw callNotFound();
    const current = await this.d.views.get(callId);
    if (current && current.supervisorId !== actor.userId) throw refuse('already_supervised', 409, '该通话已有其他负责人在监听', 'another supervisor is on this call');
    if (s.phase !== 'connected' || !s.operator || s.operatorLeft || !s.bridgeId || s.bridging) {
      throw refuse('supervision_not_allowed', 409, `通话当前状态（${s.phase}）下不能监听`, `only a call between a caller and an operator can be supervised (now ${s.phase})`);
    }
    if (current) {
      if (current.mode === mode) return 'unchanged';
      await this.publish({ action: 'switch', callId, supervisorId: actor.userId, courtId: actor.courtId, mode });
      return 'switch';
    }
    const dial = await this.phoneOf(actor.userId);
    if (!dial) throw refuse('no_phone', 409, '您没有可接听的电话（软电话或分机）', 'you have no phone to join from (softphone endpoint or extension)');
    await this.publish({ action: 'start', callId, supervisorId: actor.userId, courtId: actor.courtId, dial, mode });
    return 'start';
  }

  /** Leaves: the supervisor themself, or a manager of the court ending someone's supervision. */
  async leave(actor: Actor, callId: string): Promise<void> {
    const current = await this.d.views.get(callId);
    if (!current || current.courtId !== actor.courtId) throw refuse('not_supervised', 404, '该通话当前没有人在监听', 'no one supervises this call');
    if (current.supervisorId !== actor.userId && actor.role !== 'manager') throw refuse('not_your_supervision', 403, '只能结束自己的监听', 'you can only end your own supervision');
    await this.publish({ action: 'stop', callId, supervisorId: current.supervisorId, courtId: current.courtId, by: actor.userId });
  }

  async views(courtId: string): Promise<SupervisionView[]> {
    return (await this.d.views.all()).filter((v) => v.courtId === courtId);
  }

  /** The supervisor's console softphone (`sip_endpoint`), else their desk phone (`extension`). */
  private async phoneOf(userId: string): Promise<string | null> {
    const [row] = await this.d.db.select({ sipEndpoint: users.sipEndpoint, extension: users.extension }).from(users).where(eq(users.id, userId));
    if (row?.sipEndpoint) return `PJSIP/${row.sipEndpoint}`;
    return row?.extension ? dialTarget(row.extension, this.d.trunkDial) : null;
  }

  /** No controller subscribed means no one would carry the request out: refused, never answered 202. */
  private async publish(request: SupervisionRequest): Promise<void> {
    const node = await this.d.store.nodeOf(request.callId);
    const listeners = await this.d.redis.publish(this.channelOf(node ?? undefined), JSON.stringify(request));
    if (listeners > 0) return;
    if (node) throw refuse('node_unavailable', 503, `通话所在节点 ${node} 当前没有电话控制服务，请稍后再试`, `no telephony controller holds Asterisk node ${node}, where this call is, right now; try again shortly`);
    throw refuse('telephony_unavailable', 503, '电话控制服务当前不可用，请稍后再试', 'no telephony controller is running to carry this out; try again shortly');
  }

  private channelOf(node: string | undefined): string {
    return node ? `${this.channel}:${node}` : this.channel;
  }

  /**
   * In a controller process: hands requests for the calls it holds to the supervision controller; with `node`, the
   * requests for that node's calls (subscribed while this process holds the node, nodes.ts).
   */
  async listen(supervision: { request(r: SupervisionRequest): unknown }, logger: Logger, node?: string): Promise<() => Promise<void>> {
    const sub = duplicateRedis(this.d.redis, logger, 'supervision control');
    await sub.subscribe(this.channelOf(node));
    sub.on('message', (_channel: string, text: string) => {
      try {
        supervision.request(JSON.parse(text) as SupervisionRequest);
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'malformed supervision message skipped');
      }
    });
    return async () => void (await sub.quit().catch(() => undefined));
  }
}
