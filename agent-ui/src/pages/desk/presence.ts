/**
 * Operator presence as telephony defines it (docs/telephony.md on the telephony branch): operators choose
 * ready, paused (with a reason) or logged_out; calls set ringing, on_call and wrap_up.
 *
 * ASSUMED ROUTES (telephony has no HTTP routes yet): GET /api/presence/me → PresenceView, and
 * PUT /api/presence/me {state, reason?}. Until they exist the desk shows that call control is not running.
 */
export const presenceStates = ['logged_out', 'ready', 'ringing', 'on_call', 'wrap_up', 'paused'] as const;
export type PresenceState = (typeof presenceStates)[number];

export interface PresenceView {
  state: PresenceState;
  reason?: string | null;
  since?: string;
  /** While in wrap-up: when it ends (the countdown). */
  wrapUpEndsAt?: string | null;
}

export const pauseReasons = ['break', 'meeting', 'training', 'other'] as const;

/** Reads a `presence.changed` event for one operator; accepts both the api.md and the telephony shapes. */
export function presenceFromEvent(data: Record<string, unknown>, userId: string): PresenceView | undefined {
  const who = (data.operatorId ?? data.userId) as string | undefined;
  if (who !== userId) return undefined;
  const state = (data.state ?? data.status) as string | undefined;
  if (!state || !(presenceStates as readonly string[]).includes(state)) return undefined;
  return {
    state: state as PresenceState,
    reason: (data.reason as string | null | undefined) ?? null,
    since: (data.at ?? data.since) as string | undefined,
    wrapUpEndsAt: (data.wrapUpEndsAt as string | null | undefined) ?? null,
  };
}
