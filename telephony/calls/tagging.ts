import { Counter, type Registry } from 'prom-client';
import type { AriAdapter } from '../ari/adapter.ts';
import { backoffDelay } from '../ari/backoff.ts';
import { AriGone } from '../ari/errors.ts';
import { channelVars, type AriCommand } from '../ari/types.ts';
import type { LiveCall } from './live-call.ts';

export interface TagRetry {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the first retry; doubled for each next one (with jitter, ari/backoff.ts). */
  baseMs: number;
}

/** 4 tries over about 2 s of waits (250, 500, 1000 ms with jitter), each bounded by ARI_COMMAND_TIMEOUT_MS. */
export const defaultTagRetry: TagRetry = { attempts: 4, baseMs: 250 };

export interface TagDeps {
  ari: Pick<AriAdapter, 'execute'>;
  /** Counts caller channels left untagged after every try (`channelTagFailures`); absent, they are only logged. */
  tagFailures?: Pick<Counter, 'inc'>;
  tagRetry?: TagRetry;
}

/** `hotline_channel_tag_failures_total`, registered on the hotline's registry (platform/metrics.ts). */
export function channelTagFailures(registry: Registry): Counter {
  return new Counter({
    name: 'hotline_channel_tag_failures_total',
    help: 'Caller channels whose HOTLINE_CALL_ID / COURT_ID could not be set after every retry (the call went on untagged)',
    registers: [registry],
  });
}

type Outcome = 'set' | 'gone' | { failed: string };

/**
 * Tags the caller's channel with the call's ids (HOTLINE_CALL_ID, COURT_ID: ari.conf `channelvars`, so every later
 * event and a restarted controller's GET /channels carry them). Nothing in the call waits for it, and the call
 * works without it: a controller that takes the call over finds an untagged caller by its channel id
 * (reconciler.ts, takeOverUnknown). But a tag must not fail unseen: a request that fails (timed out behind a long
 * playback, reset, refused) is tried again with backoff, a bounded number of times; a channel that is gone (the
 * caller hung up) or a call that ended stops the tries; a tag that never stuck is logged as an error and counted.
 * `gone` hears of a channel found gone (the executor takes that as the caller's hangup, whose event may have been
 * lost). Resolves true when every variable was set; never rejects.
 */
export async function tagChannel(d: TagDeps, call: LiveCall, gone?: (command: AriCommand, err: AriGone) => void): Promise<boolean> {
  const s = call.state;
  const vars: Array<[string, string]> = [[channelVars.callId, s.callId]];
  if (s.courtId) vars.push([channelVars.courtId, s.courtId]);
  const retry = d.tagRetry ?? defaultTagRetry;
  const outcomes = await Promise.all(vars.map(([name, value]) => setVariable(d, call, retry, name, value, gone)));
  const failed = vars.flatMap(([name], i) => {
    const outcome = outcomes[i]!;
    return typeof outcome === 'object' ? [{ variable: name, err: outcome.failed }] : [];
  });
  if (failed.length === 0) return outcomes.every((o) => o === 'set');
  d.tagFailures?.inc();
  call.log.error({ channelId: s.channelId, failed, attempts: retry.attempts }, 'channel tag failed: the call goes on untagged (a restarted controller finds it by its channel id)');
  return false;
}

async function setVariable(d: TagDeps, call: LiveCall, retry: TagRetry, name: string, value: string, gone?: (command: AriCommand, err: AriGone) => void): Promise<Outcome> {
  const command: AriCommand = { kind: 'setVariable', channelId: call.state.channelId, name, value };
  let last = '';
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    if (attempt > 1) {
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt - 1, retry.baseMs)));
      if (call.state.phase === 'ended') return 'gone';
    }
    try {
      await d.ari.execute(command);
      if (attempt > 1) call.log.info({ variable: name, attempt }, 'channel tag set on a retry');
      return 'set';
    } catch (err) {
      // The caller hung up: nothing to tag. Their hangup event follows, or `gone` makes up for a lost one.
      if (err instanceof AriGone) {
        gone?.(command, err);
        return 'gone';
      }
      last = (err as Error).message;
      if (attempt < retry.attempts) call.log.warn({ variable: name, attempt, err: last }, 'channel tag not set: trying again');
    }
  }
  return { failed: last };
}
