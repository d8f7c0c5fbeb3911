import { hostname } from 'node:os';
import type { Deps } from '../../platform/deps.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Redis } from '../../platform/redis/connect.ts';
import { AriAdapter, type AriAdapterOptions } from '../ari/adapter.ts';
import { CallStore } from '../calls/call-store.ts';
import type { CallController } from '../calls/controller.ts';
import { NodeDriver, type NodeTenure } from './driver.ts';
import { KickRelay } from './kick-relay.ts';
import { NodeLease } from './lease.ts';
import { asteriskNodes, type AsteriskNode } from './nodes.ts';
import { Registrations } from './registrations.ts';

type CallsView = Pick<CallController, 'holdsCall' | 'submit' | 'useRecordingNotice'>;

/**
 * Every node this process may drive (ARI_NODES), each under its lease: the drivers, where softphones are
 * registered, and one view of all held calls for the parts that act on a call by its id (transfers, supervision).
 */
export interface NodeSet {
  drivers: NodeDriver[];
  registrations: Registrations;
  /** The calls of every node held now, as CallControl and supervision use them (holdsCall, submit). */
  calls(): CallController;
  /** Runs this process's dispatchers, and the other controllers' too (kick-relay.ts: a ready operator may be theirs). */
  kick(): void;
  start(): Promise<void>;
  drain(): Promise<void>;
  stop(): Promise<void>;
  /** /readyz: which nodes this process holds, which it stands by for, which have no controller at all. */
  readiness(): Promise<string>;
  /** As a killed process would (tests): stops renewing and sending, the leases left to run out. */
  crash(): void;
}

export function startNodes(
  deps: Deps,
  o: {
    ari: { url: string; app: string; nodes?: AsteriskNode[] | undefined; nodeLeaseMs: number; preferNodes?: string[] | undefined };
    ariOptions: Omit<AriAdapterOptions, 'url'> & { url: string };
    liveRedis: Redis;
    logger: Logger;
    build(ari: AriAdapter, store: CallStore, node: string): NodeTenure;
    /** Each node's adapter before the node's calls subscribe to it: handlers that must see an event first (supervision). */
    prepare?(node: string, ari: AriAdapter): void;
  },
): NodeSet {
  const list = asteriskNodes(o.ari);
  const prefix = deps.config.redis.prefix;
  const holder = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const registrations = new Registrations(o.liveRedis, prefix, list.map((n) => n.name), o.logger);
  let notice: ((courtId: string) => boolean) | undefined;
  const drivers = list.map((n) => {
    // Every originate from this node (operator legs, transfers to desk phones, callbacks) reaches a phone registered
    // on another node through the trunk to it.
    const ari = new AriAdapter({ ...o.ariOptions, url: n.url, logger: o.logger.child({ node: n.name }), routeEndpoint: (endpoint) => registrations.route(endpoint, n.name) });
    const lease = new NodeLease(o.liveRedis, prefix, n.name, holder, o.ari.nodeLeaseMs);
    o.prepare?.(n.name, ari);
    return new NodeDriver(n.name, ari, lease, () => {
      // Saved calls are listed per app: one "app" per node, so a node's holder adopts that node's calls only.
      const tenure = o.build(ari, new CallStore(o.liveRedis, prefix, `${o.ari.app}@${n.name}`, o.logger), n.name);
      if (notice) tenure.controller.useRecordingNotice(notice);
      return tenure;
    }, o.logger, o.ari.preferNodes?.includes(n.name) ?? false);
  });
  const held = () => drivers.flatMap((d) => (d.tenure ? [d.tenure] : []));
  const kickHeld = () => {
    for (const t of held()) void t.dispatcher.kick();
  };
  // Each controller's dispatchers serve only its callers: an operator made ready here is announced to the others.
  const relay = new KickRelay(o.liveRedis, prefix, o.logger);
  const view: CallsView = {
    holdsCall: (callId) => held().some((t) => t.controller.holdsCall(callId)),
    submit: (callId, input) => held().find((t) => t.controller.holdsCall(callId))?.controller.submit(callId, input),
    useRecordingNotice: (lookup) => {
      notice = lookup;
      for (const t of held()) t.controller.useRecordingNotice(lookup);
    },
  };
  // Each holder publishes its node's registered softphones; everyone reads all nodes' lists.
  const publishing = setInterval(() => {
    for (const d of drivers) {
      if (d.held && d.ari.connected)
        void d.ari
          .onlineEndpoints()
          .then((online) => registrations.publish(d.node, online))
          .catch((err: Error) => o.logger.debug({ node: d.node, err: err.message }, 'could not publish registered softphones'));
    }
    void registrations.refresh();
  }, 1000);
  const lastError = (d: NodeDriver) => (d.ari.lastError ? `: ${d.ari.lastError}` : '');
  return {
    drivers,
    registrations,
    // Only holdsCall, submit and useRecordingNotice are used by its callers (CallControl.listen, supervision).
    calls: () => view as CallController,
    kick: () => {
      kickHeld();
      relay.send();
    },
    start: async () => {
      await relay.listen(kickHeld).catch((err: Error) => o.logger.warn({ err: err.message }, "could not listen for other controllers' dispatcher kicks: their ready operators are matched here on the one-second tick"));
      await Promise.all(drivers.map((d) => d.keeper.start()));
    },
    drain: async () => {
      clearInterval(publishing);
      await Promise.all(drivers.map((d) => d.drain()));
      await relay.stop();
    },
    stop: async () => {
      clearInterval(publishing);
      await Promise.all(drivers.map((d) => d.drain()));
      await relay.stop();
    },
    readiness: async () => {
      const parts: string[] = [];
      const unheld: string[] = [];
      for (const d of drivers) {
        if (d.held) {
          parts.push(d.ari.connected ? `${d.node} held` : `${d.node} held, ARI not connected (attempt ${d.ari.attempts})${lastError(d)}`);
          continue;
        }
        const other = await d.lease.currentHolder();
        if (other === null) unheld.push(d.node);
        parts.push(other === null ? `${d.node} has no controller` : `${d.node} standby (held by ${other})`);
      }
      const text = parts.join('; ');
      if (unheld.length > 0 || drivers.some((d) => d.held && !d.ari.connected)) throw new Error(text);
      return text;
    },
    crash: () => {
      clearInterval(publishing);
      void relay.stop();
      for (const d of drivers) d.crash();
    },
  };
}
