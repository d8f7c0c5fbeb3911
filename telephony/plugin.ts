import { join } from 'node:path';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerEndpointsApi } from './endpoints/register.ts';
import { registerCases } from './cases/register.ts';
import { serviceOf, type Capability } from '../platform/deps.ts';
import { duplicateRedis } from '../platform/redis/connect.ts';
import { Dispatcher } from './acd/dispatcher.ts';
import { LiveState } from './acd/live-state.ts';
import { AriAdapter } from './ari/adapter.ts';
import { CallStore } from './calls/call-store.ts';
import { CallController } from './calls/controller.ts';
import { Reconciler } from './calls/reconciler.ts';
import { startNodes, type NodeSet } from './nodes/node-set.ts';
import type { MachineSettings } from './calls/types.ts';
import { CourtCalendars } from './hours/calendar.ts';
import { CourtDirectory } from './courts/court-directory.ts';
import { providePhoneRelay, registerOutboundApi, startOutboundController } from './outbound/plugin.ts';
import type { OutboundController } from './outbound/controller.ts';
import { startNodeOutbound } from './outbound/nodes.ts';
import { Presence } from './presence/presence.ts';
import { findCallsForAdoption } from './records/adoption.ts';
import { callerHistory } from './records/history.ts';
import { CallJournal } from './records/journal.ts';
import { writeRecords } from './records/repository.ts';
import { startFallbackImport, startNodeFallbackImports } from './records/fallback-start.ts';
import { TelephonyService } from './service.ts';
import { registerTelephonyRoutes } from './routes.ts';
import { ticketsIntake, type TicketIntake } from './ticket-intake.ts';
import { tableCaseLookup } from './cases/lookup.ts';
import { keepMonthPartitions } from './records/partitions.ts';
import { IntakeSweep } from './calls/intake-sweep.ts';
import { CallControl } from './calls/call-control.ts';
import { channelTagFailures } from './calls/tagging.ts';
import { registerTransferRoutes } from './transfer.routes.ts';
import { registerOperatorSkillRoutes } from './operator-skills.routes.ts';
import { registerHotlineNumberRoutes } from './hotline-numbers.routes.ts';
import { registerPromptRoutes } from './prompts/routes.ts';
import { CourtPrompts } from './prompts/court-prompts.ts';
import { promptsBaseUrl } from './prompts/base-url.ts';
import { registerRecordings } from './recordings/register.ts';
import { registerQuality } from './quality/register.ts';
import { CallSealer } from './records/seal.ts';
import { registerUnownedApi, startAutoCallback } from './unowned/plugin.ts';
import type { AutoCallback } from './unowned/auto-callback.ts';
import { createSupervision, startCallSettings, startSupervision, supervisionParts } from './supervision/plugin.ts';
import { nodeSupervision } from './supervision/nodes.ts';
import type { SupervisionController } from './supervision/controller.ts';

/** How often calls are swept for the tickets they are owed (calls/intake-sweep.ts). */
export const intakeSweepEveryMs = 5 * 60_000;

/** What a running telephony capability exposes to the composition root, the API and tests. */
export interface TelephonyRuntime {
  service: TelephonyService;
  ari: AriAdapter;
  /** With ARI_NODES: a view of every held node's calls (holdsCall, submit); each node's own is `nodes.drivers[i].tenure`. */
  controller: CallController;
  journal: CallJournal;
  /** Every court's one calendar and hours (kept by tickets), reloaded when they change. */
  calendar: CourtCalendars;
  /** Courts and hotline numbers, reloaded when they change. */
  directory: CourtDirectory;
  /** Each court's own voice prompts, reloaded when an admin changes one. */
  prompts: CourtPrompts;
  /** Callbacks (outbound calls) in progress; with ARI_NODES the first node's, each node's in `outboundByNode`. */
  outbound: OutboundController;
  /** With ARI_NODES: each node's outbound controller, by node name. */
  outboundByNode: ReadonlyMap<string, OutboundController> | undefined;
  /** Automatic callback of callers who gave up (unowned/auto-callback.ts). */
  autoCallback: AutoCallback;
  /** Listen, whisper and barge (supervision/); with ARI_NODES the first node's, each node's in `supervisionByNode`. */
  supervision: SupervisionController;
  /** With ARI_NODES: each node's supervision controller, by node name. */
  supervisionByNode: ReadonlyMap<string, SupervisionController> | undefined;
  /** The Asterisk nodes this process may drive (ARI_NODES), under their leases; undefined with ARI_URL alone. */
  nodes: NodeSet | undefined;
  /** Replace the ticket intake (the tickets service by default), e.g. in tests. */
  setTicketIntake(intake: TicketIntake): void;
}

declare module '../platform/deps.ts' {
  interface Services {
    /** Presence, queue snapshot and caller history for the API's routes (processes with the telephony role). */
    telephony: TelephonyService;
    /** The whole running controller: for the composition root, tests and benchmarks, not for other capabilities. */
    telephonyRuntime: TelephonyRuntime;
  }
}

/**
 * Telephony: the Asterisk ARI controller runs in a process with the `telephony` role. A process with the `api`
 * role (with or without telephony) gets the service and the HTTP routes: presence lives in Redis, so either
 * process may change it; the controller's dispatcher matches new ready operators on its next tick.
 */
export const telephony: Capability = {
  name: 'telephony',
  async register(deps) {
    const controls = deps.roles.has('telephony');
    // Recordings: playback routes (api), fetch and retention jobs (workers), the controller's hooks (telephony).
    const recordings = registerRecordings(deps);
    registerQuality(deps);
    // Phone relay for the tickets capability (its feedback worker may run in a workers-only process).
    providePhoneRelay(deps);
    // The case directory: import routes (api) and the HTTP source's scheduled sync (workers).
    registerCases(deps);
    if (!controls && !deps.roles.has('api')) return;
    const logger = deps.logger.child({ capability: 'telephony' });
    const t = deps.config.telephony;
    const settings: MachineSettings = {
      ringMs: t.ringSeconds * 1000,
      maxWaitMs: t.maxWaitSeconds * 1000,
      menuTimeoutMs: t.menuTimeoutSeconds * 1000,
      positionFirstMs: t.positionFirstSeconds * 1000,
      transferRingMs: t.transferRingSeconds * 1000,
      caseEntryTimeoutMs: t.caseEntryTimeoutSeconds * 1000,
      positionEveryMs: t.positionEverySeconds * 1000,
      messageMaxSeconds: 120,
    };

    // An api-only process spools its presence records apart from a controller sharing the data dir.
    const sealer = new CallSealer(deps.seals.signer, deps.seals.headLog);
    const journal = new CallJournal({ write: (records) => writeRecords(deps.db, records, sealer), dir: join(deps.config.dataDir, controls ? 'telephony-journal' : 'telephony-journal-api'), logger });
    // Live call and queue state on a connection of its own (BullMQ keeps the shared one). Not auto-pipelined:
    // the store and the event bus already batch what a tick produces, and ioredis's per-tick pipeline objects
    // were what most outlived the young generation (docs/performance.md, telephony).
    const liveRedis = duplicateRedis(deps.redis, logger, 'telephony live state', { enableAutoPipelining: false });
    deps.lifecycle.onClose('telephony redis', async () => void (await liveRedis.quit().catch(() => undefined)));
    const live = new LiveState(liveRedis, deps.config.redis.prefix);
    let onReady = (): void => undefined;
    const presence = new Presence({ live, journal, events: deps.events, logger, wrapUpMs: t.wrapUpSeconds * 1000, staleRingMs: settings.ringMs + 5000, onReady: () => onReady() });
    const service = new TelephonyService(deps.db, live, presence, t.wrapUpSeconds * 1000, deps.config.console.sipPasswordSecret);
    deps.services.telephony = service;
    const dialPlan = { trunkDial: t.trunkDial };
    const store = new CallStore(liveRedis, deps.config.redis.prefix, deps.config.ari.app, logger);
    const control = new CallControl(deps.redis, deps.config.redis.prefix, store);
    const supervisionWiring = supervisionParts(deps, store);
    if (deps.roles.has('api')) {
      const app = deps.http.withTypeProvider<ZodTypeProvider>();
      registerTelephonyRoutes(app, service, serviceOf(deps, 'tickets'));
      registerTransferRoutes(app, deps.db, control, dialPlan);
      registerEndpointsApi(app, deps);
      registerOperatorSkillRoutes(app, { db: deps.db, live });
      registerHotlineNumberRoutes(app, deps.db);
      registerPromptRoutes(app, deps.db);
      registerOutboundApi(deps, live);
      registerUnownedApi(deps);
      supervisionWiring.registerRoutes();
    }
    if (!controls) {
      deps.lifecycle.onClose('telephony journal', () => journal.close());
      return;
    }

    const stopPartitions = keepMonthPartitions(deps.db, logger);
    const calendar = new CourtCalendars(serviceOf(deps, 'tickets'), logger);
    await calendar.start(deps.listen);
    const directory = new CourtDirectory(deps.db, logger);
    await directory.start(deps.listen);
    const prompts = new CourtPrompts({ db: deps.db, soundsDir: t.soundsDir, logger, baseUrl: promptsBaseUrl(deps) });
    await prompts.start(deps.listen);
    let intake: TicketIntake = ticketsIntake(serviceOf(deps, 'tickets'), logger);
    const ariOptions = { ...deps.config.ari, logger };
    // One node's calls: its store (saved per app, and per node when there are several), the dispatcher of its
    // waiting callers and the controller; the two need each other, the dispatcher calls it only once calls exist.
    const tagFailures = channelTagFailures(deps.metrics.registry);
    const buildCalls = (ari: AriAdapter, store: CallStore, node?: string) => {
      let controller: CallController | undefined;
      const dispatcher = new Dispatcher({
        live,
        logger,
        ringHoldMs: settings.ringMs + 10_000,
        assign: (callId, operator) => {
          if (controller?.assign(callId, operator)) return;
          // The call is gone: the operator the dispatcher claimed for it is made ready again (else the stale-ring sweep does).
          presence.change(operator.userId, 'system:released', 'ready').catch((err: Error) => logger.warn({ userId: operator.userId, callId, err: err.message }, 'operator claimed for a call that is gone not released; the stale-ring sweep will'));
        },
      });
      controller = new CallController({
        store,
        ari,
        live,
        dispatcher,
        presence,
        journal,
        events: deps.events,
        // Delegates, so setTicketIntake() takes effect for calls already running.
        intake: {
          messageLeft: (call) => intake.messageLeft(call),
          callbackRequested: (call) => intake.callbackRequested(call),
          draftForCall: (call) => intake.draftForCall(call),
          transferred: (call) => intake.transferred(call),
          callsWithTickets: (callIds) => intake.callsWithTickets(callIds),
        },
        cases: tableCaseLookup(deps.db, dialPlan),
        settings,
        soundsDir: t.soundsDir,
        prompts,
        recordings,
        callerHistory: (number, courtId) => callerHistory(deps.db, number, courtId),
        calendar,
        courtFor: (clues) => directory.courtFor(clues),
        tagFailures,
        logger: node ? logger.child({ node }) : logger,
      });
      const calls = controller;
      const reconciler = new Reconciler({
        ari,
        store,
        controller: calls,
        presence,
        findCalls: (ids, channels) => findCallsForAdoption(deps.db, ids, channels),
        recordsCaughtUp: () =>
          journal.caughtUp(2000).catch((err: Error) => logger.warn({ err: err.message }, 'call records not all in PostgreSQL before the reconcile: a caller whose row is still spooled may be taken for a new call')),
        logger,
      });
      return { store, dispatcher, controller: calls, reconciler };
    };
    // Several nodes (ARI_NODES): each driven under a lease (nodes/); supervision, callbacks and the fallback import
    // work per node too (supervision has one controller per node, listening for the node's requests while this
    // process holds it: supervision/nodes.ts). One node (ARI_URL): as before, no lease.
    const perNode = deps.config.ari.nodes ? nodeSupervision(deps, supervisionWiring, { store, logger }) : undefined;
    const nodes = perNode ? startNodes(deps, { ari: deps.config.ari, ariOptions, liveRedis, logger, build: buildCalls, prepare: perNode.prepare }) : undefined;
    const ari = nodes ? nodes.drivers[0]!.ari : new AriAdapter(ariOptions);
    const single = nodes ? undefined : buildCalls(ari, store);
    const calls = single?.controller ?? nodes!.calls();
    if (perNode) startCallSettings(deps, supervisionWiring, calls);
    const supervision = perNode ? perNode.byNode.get(nodes!.drivers[0]!.node)! : createSupervision(deps, supervisionWiring, { ari, calls, store, logger });
    if (single) {
      ari.onEvent((event) => single.controller.handle(event));
      ari.onConnected(() => void single.reconciler.run());
    }
    const kick = () => (single ? void single.dispatcher.kick() : nodes!.kick());
    onReady = kick;
    const stopListening = await control.listen(calls, logger);
    // Calls Asterisk ran alone (dialplan fallback) while no controller was connected: from its CDR file.
    // Several nodes: each node's file, imported by the process holding the node.
    if (nodes) startNodeFallbackImports(deps, nodes, calendar, directory, logger);
    else startFallbackImport(deps, ari, calendar, directory, logger);
    // Callbacks: several nodes, one controller per node, dialling from a node this process holds (outbound/nodes.ts).
    const outboundByNode = nodes ? startNodeOutbound(deps, nodes, { live, presence, journal, calendar, logger }) : undefined;
    const outbound = outboundByNode ? outboundByNode.get(nodes!.drivers[0]!.node)! : startOutboundController(deps, { ari, live, presence, journal, calendar, logger });
    const autoCallback = startAutoCallback(deps, { live, calendar, logger });
    // Tickets calls were owed and did not get (the live intake gave up, or the process trying it stopped).
    const intakeSweep = new IntakeSweep({
      db: deps.db,
      redis: deps.redis,
      prefix: deps.config.redis.prefix,
      intake: { messageLeft: (c) => intake.messageLeft(c), callbackRequested: (c) => intake.callbackRequested(c), callsWithTickets: (ids) => intake.callsWithTickets(ids) },
      logger,
    });
    // Once the journal has written what the last run left (calls still in it would be missed until the next sweep).
    void journal
      .caughtUp(30_000)
      .catch(() => undefined)
      .then(() => intakeSweep.start(intakeSweepEveryMs));
    if (nodes) await nodes.start();
    else ari.start();

    const tick = setInterval(() => {
      void presence.sweep().catch((err: Error) => logger.warn({ err: err.message }, 'presence sweep failed'));
      kick();
    }, 1000);

    if (nodes) deps.readiness.add('ari', () => nodes.readiness());
    else
      deps.readiness.add('ari', async () => {
        if (!ari.connected) throw new Error(`ARI event websocket to ${deps.config.ari.url} is not connected (attempt ${ari.attempts})${ari.lastError ? `: ${ari.lastError}` : ''}`);
      });
    deps.lifecycle.onDrain('telephony calls', async () => {
      clearInterval(tick);
      if (nodes) {
        // Each node's calls are saved and left up, then its lease released: a standby takes them at once.
        await nodes.drain();
      } else {
        calls.stopAccepting();
        await calls.idle();
        // Calls in hand stay up in Asterisk and saved in Redis: the next controller takes them over.
        calls.detach();
        store.flush();
      }
      // What the calls in hand wrote so far reaches PostgreSQL now if it can; what cannot stays in the log.
      await journal.caughtUp(5000).catch((err: Error) => logger.warn({ err: err.message }, 'stopping with call records still in the log: the next run writes them'));
    });
    if (perNode) perNode.start(nodes!);
    else await startSupervision(deps, supervisionWiring, supervision, { ari, logger });
    deps.lifecycle.onClose('telephony', async () => {
      stopPartitions();
      await intakeSweep.stop();
      await stopListening();
      if (nodes) await nodes.stop();
      else await ari.stop();
      await calendar.stop();
      await directory.stop();
      await prompts.stop();
      await journal.close();
    });

    deps.services.telephonyRuntime = {
      service,
      ari,
      controller: calls,
      journal,
      calendar,
      directory,
      prompts,
      outbound,
      outboundByNode,
      autoCallback,
      supervision,
      supervisionByNode: perNode?.byNode,
      nodes,
      setTicketIntake: (next) => (intake = next),
    };
  },
};
