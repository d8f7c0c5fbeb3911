import type { Logger } from '../../platform/logger.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import type { SupervisionController } from './controller.ts';
import { isSupervisionBridge, isSupervisionChannel } from './ids.ts';
import type { SupervisionViews } from './view-store.ts';

/**
 * On every (re)connect: supervisions are not taken over. A supervisor's leg, snoop channel or snoop bridge that this
 * process does not hold (left by a stopped or killed controller) is hung up or destroyed, so the call the next
 * controller adopts is exactly caller and operator again; the supervisor joins anew if they want. A supervision that
 * had started is closed in the call's events (`supervision_stopped`, reason `controller_restart`) once the call is
 * adopted. Supervisions this process holds (a websocket drop) go on unless their channels vanished meanwhile.
 */
export async function cleanUpSupervision(
  d: {
    ari: AriAdapter;
    supervision: SupervisionController;
    views: SupervisionViews;
    logger: Logger;
    /** With several nodes: whether a supervision's call is on this node (or gone); another node's are left alone. */
    onThisNode?: (callId: string) => Promise<boolean>;
  },
  waitForAdoptionMs = 10_000,
): Promise<void> {
  const [channels, bridges] = await Promise.all([d.ari.listChannels(), d.ari.listBridges()]);
  d.supervision.resync(new Set(channels.map((c) => c.id)));
  const stale = [
    ...channels.filter((c) => isSupervisionChannel(c.id) && !d.supervision.holds(c.id)).map((c) => ({ kind: 'hangup' as const, channelId: c.id })),
    ...bridges.filter((b) => isSupervisionBridge(b.id) && !d.supervision.holds(b.id)).map((b) => ({ kind: 'destroyBridge' as const, bridgeId: b.id })),
  ];
  for (const command of stale) await d.ari.execute(command).catch((err: Error) => d.logger.info({ err: err.message, command }, 'stale supervision object already gone'));
  if (stale.length) d.logger.info({ count: stale.length }, 'supervision left by an earlier controller cleaned up');

  const all = await d.views.all();
  const mine = d.onThisNode ? await Promise.all(all.map((v) => d.onThisNode!(v.callId))) : all.map(() => true);
  const views = all.filter((_, i) => mine[i]);
  const leftBehind = views.filter((v) => !d.supervision.session(v.callId));
  const deadline = Date.now() + waitForAdoptionMs;
  let pending = leftBehind;
  // The calls' own reconcile adopts them meanwhile; a call no controller holds by the deadline has ended.
  while (pending.length && Date.now() < deadline) {
    pending = pending.filter((v) => !(v.status === 'active' ? d.supervision.noteLeftBehind(v, 'controller_restart') : true));
    if (pending.length) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const v of leftBehind) if (!d.supervision.session(v.callId)) await d.views.remove(v.callId).catch(() => undefined);
}
