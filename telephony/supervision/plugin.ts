import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../platform/deps.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { CallController } from '../calls/controller.ts';
import { SupervisionControl } from './control.ts';
import { SupervisionController } from './controller.ts';
import { cleanUpSupervision } from './reconnect.ts';
import { registerSupervisionRoutes } from './routes.ts';
import { readCallSettings } from './settings.ts';
import { RecordingNoticeCache } from './settings-cache.ts';
import { SupervisionViews } from './view-store.ts';

/** Supervision's wiring: the routes in an api process, the controller beside the calls' in a telephony one. */
export function supervisionParts(deps: Deps, store: CallStore) {
  const views = new SupervisionViews(deps.redis, deps.config.redis.prefix);
  const control = new SupervisionControl({ redis: deps.redis, prefix: deps.config.redis.prefix, store, views, db: deps.db, trunkDial: deps.config.telephony.trunkDial });
  const recordingNotice = new RecordingNoticeCache(deps.db, deps.logger);
  return {
    views,
    control,
    recordingNotice,
    registerRoutes: () => registerSupervisionRoutes(deps.http.withTypeProvider<ZodTypeProvider>(), { db: deps.db, store, control, changed: () => void recordingNotice.refresh() }),
  };
}

/**
 * In the controller process, before the calls' controller subscribes to ARI's events (so a supervision sees a caller
 * leave first and logs its stop before the call closes).
 */
export function createSupervision(
  deps: Deps,
  parts: ReturnType<typeof supervisionParts>,
  d: { ari: AriAdapter; calls: CallController; store: CallStore; logger: Logger },
): SupervisionController {
  startCallSettings(deps, parts, d.calls);
  const supervision = newSupervision(deps, parts, d);
  d.ari.onEvent((event) => supervision.handle(event));
  return supervision;
}

/** The recording notice before the menu is a court call setting too: the calls' controller asks this cache. */
export function startCallSettings(deps: Deps, parts: ReturnType<typeof supervisionParts>, calls: Pick<CallController, 'useRecordingNotice'>): void {
  void parts.recordingNotice.start(deps.listen);
  deps.lifecycle.onClose('telephony call settings', () => parts.recordingNotice.stop());
  calls.useRecordingNotice(parts.recordingNotice.has);
}

/** One supervision controller over one Asterisk's adapter and the calls driven on it. */
export function newSupervision(
  deps: Deps,
  parts: ReturnType<typeof supervisionParts>,
  d: { ari: AriAdapter; calls: Pick<CallController, 'holdsCall' | 'submit'>; store: CallStore; logger: Logger; soleReceiver?: boolean },
): SupervisionController {
  return new SupervisionController({
    soleReceiver: d.soleReceiver ?? false,
    ari: d.ari,
    calls: d.calls,
    store: d.store,
    views: parts.views,
    events: deps.events,
    showsOperator: async (courtId) => (await readCallSettings(deps.db, courtId)).supervisionNotice,
    logger: d.logger.child({ component: 'supervision' }),
    ringSeconds: deps.config.telephony.ringSeconds,
  });
}

/**
 * Then, after the calls' drain hook: carries out the requests for the calls it holds and cleans up on (re)connect.
 * Drain hooks run last-registered first, so supervisions end (logged in their calls) before the calls are detached.
 */
export async function startSupervision(deps: Deps, parts: ReturnType<typeof supervisionParts>, supervision: SupervisionController, d: { ari: AriAdapter; logger: Logger }): Promise<void> {
  const logger = d.logger.child({ component: 'supervision' });
  // Registered before the first await: the adapter may connect meanwhile.
  d.ari.onConnected(() => void cleanUpSupervision({ ari: d.ari, supervision, views: parts.views, logger }).catch((err: Error) => logger.warn({ err: err.message }, 'supervision clean-up failed')));
  deps.lifecycle.onDrain('telephony supervision', () => supervision.stopAll('controller_stopped'));
  const stopListening = await parts.control.listen(supervision, logger);
  deps.lifecycle.onClose('telephony supervision', stopListening);
}
