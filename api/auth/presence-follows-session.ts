import type { Logger } from '../../platform/logger.ts';
import type { SessionEndReason, SessionStore } from './session-store.ts';

/** What this needs of telephony's service (found at call time: telephony registers after the api). */
export interface OperatorQueue {
  leaveQueue(userId: string, reason: SessionEndReason): Promise<unknown>;
}

/**
 * Presence follows the person: when a user's last session ends (sign-out, expiry, an admin's change that ends
 * their sessions) an operator leaves the ACD queue, so no call rings a console no one sits at. Expired sessions
 * are found every `sweepMs` (a session expires silently otherwise).
 */
export function followSessions(sessions: SessionStore, queue: () => OperatorQueue | undefined, logger: Logger, sweepMs: number): () => void {
  sessions.onEnded(async (userId, reason) => {
    try {
      // Signed out of one browser while signed in on another: still at a console.
      if (reason === 'signed_out' && (await sessions.hasLive(userId))) return;
      await queue()?.leaveQueue(userId, reason);
    } catch (err) {
      logger.warn({ err: (err as Error).message, userId }, 'could not take a signed-out operator out of the queue');
    }
  });
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void sessions
      .endExpired()
      .catch((err: Error) => logger.warn({ err: err.message }, 'expired-session sweep failed'))
      .finally(() => (running = false));
  }, sweepMs);
  timer.unref();
  return () => clearInterval(timer);
}
