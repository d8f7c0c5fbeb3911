import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../platform/logger.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import { AriGone } from '../ari/errors.ts';
import { recordingName } from './names.ts';

const conflict = /already (in progress|exists)/i;

/** How a bridge's take waits for the one before it. */
export interface TakeWait {
  /** Between two reads of the previous take's live state. */
  pollMs: number;
  /** How long the previous take may take to close before this bridge goes unrecorded. */
  patienceMs: number;
}

const defaultWait: TakeWait = { pollMs: 50, patienceMs: 10_000 };

/**
 * Records a bridge of the call into the call's one recording (wav, ifExists=append): the conversation with the
 * operator, an attended consultation and the talk with a transfer target follow one another in one file.
 * Asterisk refuses (409) a recording whose name is still live: the previous bridge's take may still be closing
 * when the next bridge starts (longer on a loaded Asterisk). Then the take's live state is read until it is
 * gone, and the recording asked for again: asking again at once would not do, since every refused request
 * still puts a Recorder channel into the bridge for a moment (res/ari/resource_bridges.c). A take already live
 * on this very bridge (a bridge joined again after a controller restart) is left as it is. Never throws: the
 * call goes on unrecorded.
 */
export async function recordBridge(ari: AriAdapter, callId: string, bridgeId: string, log: Logger, wait: TakeWait = defaultWait): Promise<void> {
  const name = recordingName(callId, 'conversation');
  const deadline = Date.now() + wait.patienceMs;
  for (let refusals = 1; ; refusals++) {
    try {
      await ari.execute({ kind: 'recordBridge', bridgeId, name });
      return;
    } catch (err) {
      if (err instanceof AriGone) return; // the bridge is gone: the call moved on
      const message = (err as Error).message;
      if (!conflict.test(message)) {
        log.warn({ bridgeId, err: message }, 'could not start recording the bridge');
        return;
      }
    }
    if (Date.now() >= deadline) {
      log.warn({ bridgeId }, 'could not start recording the bridge: Asterisk kept refusing the name');
      return;
    }
    // Refused again right after the previous take was seen closed: pause, so a refusal that persists cannot spin.
    if (refusals > 1) await sleep(wait.pollMs);
    for (;;) {
      const target = await ari.liveRecordingTarget(name).catch(() => undefined); // undefined: ARI did not say
      if (target === `bridge:${bridgeId}`) return;
      if (target === null) break; // the previous take has closed: ask again
      if (Date.now() >= deadline) {
        if (target === undefined) log.warn({ bridgeId }, 'could not start recording the bridge: ARI did not say whether the previous take had closed');
        else log.warn({ bridgeId, liveOn: target }, 'could not start recording the bridge: the previous take is still live');
        return;
      }
      await sleep(wait.pollMs);
    }
  }
}
