import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../platform/logger.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import { AriGone } from '../ari/errors.ts';
import { recordingName } from './names.ts';

const conflict = /already (in progress|exists)/i;

/**
 * Records a bridge of the call into the call's one recording (wav, ifExists=append): the conversation with the
 * operator, an attended consultation and the talk with a transfer target follow one another in one file.
 * Asterisk refuses (409) a recording whose name is still live: the previous bridge's take may still be closing
 * when the next bridge starts, so that is retried for a moment; a take already live on this very bridge (a
 * bridge joined again after a controller restart) is left as it is. Never throws: the call goes on unrecorded.
 */
export async function recordBridge(ari: AriAdapter, callId: string, bridgeId: string, log: Logger, waitMs = 150, tries = 20): Promise<void> {
  const name = recordingName(callId, 'conversation');
  for (let attempt = 1; ; attempt++) {
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
      const target = await ari.liveRecordingTarget(name).catch(() => null);
      if (target === `bridge:${bridgeId}`) return;
      if (attempt >= tries) {
        log.warn({ bridgeId, liveOn: target }, 'could not start recording the bridge: the previous take is still live');
        return;
      }
      await sleep(waitMs);
    }
  }
}
