import { join } from 'node:path';
import type { Capability, Deps } from '../platform/deps.ts';
import { Dispatcher } from './acd/dispatcher.ts';
import { LiveState } from './acd/live-state.ts';
import { AriAdapter } from './ari/adapter.ts';
import { CallController } from './calls/controller.ts';
import type { MachineSettings } from './calls/types.ts';
import { TableCalendar } from './hours/calendar.ts';
import { Presence } from './presence/presence.ts';
import { callerHistory } from './records/history.ts';
import { CallJournal } from './records/journal.ts';
import { writeRecords } from './records/repository.ts';
import { TelephonyService } from './service.ts';
import { loggingTicketIntake, type TicketIntake } from './ticket-intake.ts';

/** What a running telephony capability exposes to the composition root, the API and tests. */
export interface TelephonyRuntime {
  service: TelephonyService;
  ari: AriAdapter;
  controller: CallController;
  journal: CallJournal;
  calendar: TableCalendar;
  /** Replace the default (logging) intake once tickets exist. */
  setTicketIntake(intake: TicketIntake): void;
}

const runtimes = new WeakMap<Deps, TelephonyRuntime>();

/** The telephony runtime of a hotline's deps (undefined when this process has no telephony role). */
export function telephonyOf(deps: Deps): TelephonyRuntime | undefined {
  return runtimes.get(deps);
}

/** Telephony: the Asterisk ARI controller. Runs only in a process with the `telephony` role. */
export const telephony: Capability = {
  name: 'telephony',
  async register(deps) {
    if (!deps.roles.has('telephony')) return;
    const logger = deps.logger.child({ capability: 'telephony' });
    const t = deps.config.telephony;
    const settings: MachineSettings = {
      ringMs: t.ringSeconds * 1000,
      maxWaitMs: t.maxWaitSeconds * 1000,
      menuTimeoutMs: t.menuTimeoutSeconds * 1000,
      positionEveryMs: t.positionEverySeconds * 1000,
      messageMaxSeconds: 120,
    };

    const journal = new CallJournal({ write: (records) => writeRecords(deps.db, records), dir: join(deps.config.dataDir, 'telephony-journal'), logger });
    const live = new LiveState(deps.redis, deps.config.redis.prefix);
    const calendar = new TableCalendar(deps.db, logger);
    await calendar.start();
    let intake: TicketIntake = loggingTicketIntake(logger);
    // The controller and the dispatcher need each other; the dispatcher calls it only once calls exist.
    let controller: CallController | undefined;
    const dispatcher = new Dispatcher({
      live,
      logger,
      ringHoldMs: settings.ringMs + 10_000,
      assign: (callId, operator) => {
        if (!controller?.assign(callId, operator)) void presence.change(operator.userId, 'system:released', 'ready');
      },
    });
    const presence = new Presence({ live, journal, events: deps.events, logger, wrapUpMs: t.wrapUpSeconds * 1000, staleRingMs: settings.ringMs + 5000, onReady: () => void dispatcher.kick() });
    const ari = new AriAdapter({ ...deps.config.ari, logger });
    controller = new CallController({
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
      },
      settings,
      soundsDir: t.soundsDir,
      callerHistory: (number, courtId) => callerHistory(deps.db, number, courtId),
      calendar,
      defaultCourtId: () => calendar.defaultCourtId(),
      logger,
    });
    const calls = controller;
    ari.onEvent((event) => calls.handle(event));
    ari.onConnected(() => {
      void ari
        .listChannels()
        .then((channels) => calls.reconcile(channels))
        .catch((err: Error) => logger.warn({ err: err.message }, 'could not reconcile calls after connecting'));
    });
    ari.start();

    const tick = setInterval(() => {
      void presence.sweep().catch((err: Error) => logger.warn({ err: err.message }, 'presence sweep failed'));
      void dispatcher.kick();
    }, 1000);

    deps.readiness.add('ari', async () => {
      if (!ari.connected) throw new Error(`ARI event websocket to ${deps.config.ari.url} is not connected (attempt ${ari.attempts})`);
    });
    deps.lifecycle.onDrain('telephony calls', async () => {
      calls.stopAccepting();
      clearInterval(tick);
      await calls.idle();
    });
    deps.lifecycle.onClose('telephony', async () => {
      await ari.stop();
      calendar.stop();
      await journal.close();
    });

    runtimes.set(deps, {
      service: new TelephonyService(deps.db, live, presence),
      ari,
      controller: calls,
      journal,
      calendar,
      setTicketIntake: (next) => (intake = next),
    });
  },
};
