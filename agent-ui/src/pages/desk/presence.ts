/**
 * Operator presence as telephony defines it (docs/telephony.md): operators choose ready, paused (with a
 * reason) or logged_out; calls set ringing, on_call and wrap_up. GET /api/presence/me → PresenceView and
 * PUT /api/presence/me {state, reason?} (docs/api.md).
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

/** Reads a `presence.changed` event (docs/api.md) for one operator. */
export function presenceFromEvent(data: Record<string, unknown>, userId: string): PresenceView | undefined {
  if (data.operatorId !== userId) return undefined;
  const state = data.state as string | undefined;
  if (!state || !(presenceStates as readonly string[]).includes(state)) return undefined;
  return {
    state: state as PresenceState,
    reason: (data.reason as string | null | undefined) ?? null,
    since: data.at as string | undefined,
    wrapUpEndsAt: (data.wrapUpEndsAt as string | null | undefined) ?? null,
  };
}
