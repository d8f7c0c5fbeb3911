import type { Deps } from '../../platform/deps.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { NodeSet } from '../nodes/node-set.ts';
import type { SupervisionController } from './controller.ts';
import { newSupervision, type supervisionParts } from './plugin.ts';
import { cleanUpSupervision } from './reconnect.ts';

/**
 * Supervision with several Asterisk nodes (ARI_NODES): one supervision controller per node, over that node's adapter
 * and the calls this process drives on it. It listens to the node's request channel (`tel:supervise:<node>`) only
 * while this process holds the node, so a request for a node nobody holds finds no listener and is refused (503).
 * A lost or handed-over node's supervisions are dropped; the node's new holder hangs them up and logs their stop.
 */
export function nodeSupervision(deps: Deps, parts: ReturnType<typeof supervisionParts>, d: { store: CallStore; logger: Logger }) {
  const byNode = new Map<string, SupervisionController>();
  let nodes: NodeSet | undefined;
  const tenureOf = (node: string) => nodes?.drivers.find((driver) => driver.node === node)?.tenure;
  return {
    /** Each node's supervision controller (tests). */
    byNode,
    /** startNodes' `prepare`: before the node's calls subscribe, so a supervision sees a caller leave first. */
    prepare(node: string, ari: AriAdapter): void {
      const logger = d.logger.child({ node });
      const supervision = newSupervision(deps, parts, {
        ari,
        calls: {
          holdsCall: (callId) => tenureOf(node)?.controller.holdsCall(callId) ?? false,
          submit: (callId, input) => tenureOf(node)?.controller.submit(callId, input),
        },
        store: d.store,
        logger,
        // Its node's own channel, subscribed only while it holds the node's lease.
        soleReceiver: true,
      });
      byNode.set(node, supervision);
      ari.onEvent((event) => supervision.handle(event));
      const onThisNode = async (callId: string) => [node, null].includes(await d.store.nodeOf(callId));
      ari.onConnected(() => void cleanUpSupervision({ ari, supervision, views: parts.views, logger, onThisNode }).catch((err: Error) => logger.warn({ err: err.message }, 'supervision clean-up failed')));
    },
    /** Once the node set exists, after the calls' drain hook (drain hooks run last-registered first). */
    start(set: NodeSet): void {
      nodes = set;
      deps.lifecycle.onDrain('telephony supervision', async () => void (await Promise.all([...byNode.values()].map((s) => s.stopAll('controller_stopped')))));
      for (const driver of set.drivers) {
        const supervision = byNode.get(driver.node)!;
        const logger = d.logger.child({ node: driver.node, component: 'supervision' });
        // One change at a time per node: a quick take-and-lose must not leave a subscription behind.
        let chain = Promise.resolve();
        let tenure = 0;
        let unsubscribe: (() => Promise<void>) | undefined;
        // Ends a wait of the tenure before (for its reconcile, or before listening again) when the node changes hands.
        let wake = () => {};
        const listen = async (mine: number) => {
          const moved = new Promise<false>((resolve) => (wake = () => resolve(false)));
          // Once the node's calls are adopted: a request taken before would find no call and be dropped after its 202.
          if (!(await Promise.race([driver.reconciled(), moved])) || mine !== tenure) return;
          for (let wait = 500; mine === tenure; wait = Math.min(wait * 2, 5000)) {
            try {
              unsubscribe = await parts.control.listen(supervision, logger, driver.node);
              return;
            } catch (err) {
              logger.error({ err: (err as Error).message, retryInMs: wait }, "could not listen for the node's supervision requests: they are refused (503) meanwhile");
              await Promise.race([new Promise((resolve) => setTimeout(resolve, wait)), moved]);
            }
          }
        };
        const follow = (held: boolean) => {
          const mine = ++tenure;
          wake();
          chain = chain.then(async () => {
            if (held) return listen(mine);
            // Not listening first, so no request is taken for sessions about to be dropped.
            const stop = unsubscribe;
            unsubscribe = undefined;
            await stop?.().catch((err: Error) => logger.error({ err: err.message }, 'could not stop listening'));
            supervision.drop();
          });
        };
        driver.onTenure(follow);
        if (driver.tenure) follow(true);
        deps.lifecycle.onClose(`telephony supervision ${driver.node}`, async () => {
          follow(false);
          await chain;
        });
      }
    },
  };
}
