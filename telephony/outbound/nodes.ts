import type { Deps } from '../../platform/deps.ts';
import { AriUnavailable } from '../ari/errors.ts';
import type { NodeSet } from '../nodes/node-set.ts';
import { AttemptStore } from './attempt-store.ts';
import type { OutboundController } from './controller.ts';
import { newOutboundController, startOutboundWorker, type OutboundParts } from './plugin.ts';
import { OutboundScheduler } from './scheduler.ts';

/** How long a job waits when this process holds no node but another controller holds one (it may take the job). */
const leaveToOthersMs = 1000;
/** How long a job is left to others at most: their ARI may be down too; then it fails and the queue retries it, logged. */
const leaveToOthersAtMostMs = 10_000;

/**
 * Callbacks with several Asterisk nodes (ARI_NODES): one outbound controller per node, over that node's adapter and
 * with that node's own list of attempts, so a node's holder (and the one that takes it over) settles that node's
 * callbacks only. An attempt is dialled from a node this process holds and is connected to, a preferred one
 * (ARI_NODES_PREFER) first; the operator's leg reaches a softphone on another node over the trunk. A process holding
 * no node leaves the job to one that does (delayed 1 s, for 10 s at most: then it fails, logged, and is retried by the queue); when no controller holds any node the job fails loudly
 * (AriUnavailable) and is retried by the queue, as with one node whose ARI is down.
 */
export function startNodeOutbound(deps: Deps, nodes: NodeSet, parts: OutboundParts): Map<string, OutboundController> {
  const logger = parts.logger.child({ component: 'outbound' });
  const scheduler = new OutboundScheduler(deps.queues);
  const byNode = new Map<string, OutboundController>();
  for (const driver of nodes.drivers) {
    const controller = newOutboundController(deps, { ...parts, logger: logger.child({ node: driver.node }) }, driver.ari, new AttemptStore(deps.redis, deps.config.redis.prefix, driver.node), scheduler);
    // A node let go: its attempts stay saved and up, for the node's next holder to take over or settle.
    driver.onTenure((held) => {
      if (!held) controller.detach();
    });
    byNode.set(driver.node, controller);
  }
  const prefer = deps.config.ari.preferNodes ?? [];
  startOutboundWorker(deps, { scheduler, controllers: [...byNode.values()], journal: parts.journal, logger }, async (job) => {
    if ([...byNode.values()].some((c) => c.holds(job.request.id))) {
      logger.warn({ outboundId: job.request.id }, 'an attempt of this request is already running: job ignored');
      return {};
    }
    const ready = nodes.drivers.filter((d) => d.held && d.ari.connected);
    const node = ready.find((d) => prefer.includes(d.node)) ?? ready[0];
    if (node) return byNode.get(node.node)!.startAttempt(job.request, job.attempt);
    const holders = await Promise.all(nodes.drivers.map((d) => d.lease.currentHolder().catch(() => null)));
    const now = Date.now();
    const since = job.postponedSince ?? now;
    if (holders.some((h) => h !== null && h !== nodes.drivers[0]!.lease.holder)) {
      if (now - since < leaveToOthersAtMostMs) return { postponeUntil: now + leaveToOthersMs, postponedSince: since };
      throw new AriUnavailable(`outbound attempt: left to the controllers holding the nodes for ${Math.round((now - since) / 1000)} s, none started it`);
    }
    throw new AriUnavailable('outbound attempt: no controller holds a connected Asterisk node');
  });
  return byNode;
}
