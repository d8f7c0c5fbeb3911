/** Supervision of a live call (监听 / 耳语 / 强插): one source for the modes. */
export const supervisionModes = ['listen', 'whisper', 'barge'] as const;
export type SupervisionMode = (typeof supervisionModes)[number];

/** What every process sees of a call's supervision (Redis, `<prefix>:tel:supervision`, field = call id). */
export interface SupervisionView {
  callId: string;
  courtId: string;
  supervisorId: string;
  mode: SupervisionMode;
  /** ringing: the supervisor's phone rings; active: joined in `mode`. */
  status: 'ringing' | 'active';
  since: number;
}

/**
 * A request from an API process to the controller holding the call. `courtId` is the call's court (the one the
 * supervisor's court was checked against), to tell the supervisor when the request cannot be carried out; a message
 * from an older API process has none.
 */
export type SupervisionRequest = { callId: string; supervisorId: string; courtId?: string } & (
  | { action: 'start'; dial: string; mode: SupervisionMode }
  | { action: 'switch'; mode: SupervisionMode }
  | { action: 'stop'; by: string }
);

/** One supervision in the controller holding the call. */
export interface Session {
  callId: string;
  courtId: string;
  supervisorId: string;
  operatorId: string;
  mode: SupervisionMode;
  /** The supervisor's leg (originated to their phone). */
  legId: string;
  legUp: boolean;
  /** Ids made so far (snoop channels and their bridges). */
  seq: number;
  callerChannelId: string;
  operatorChannelId: string;
  mainBridgeId: string;
  /** Listen or whisper: the snoop channel and the bridge with the supervisor's leg. */
  snoop?: { channelId: string; bridgeId: string };
  /** Barge: the leg is in the call's bridge. */
  inMain: boolean;
  startedAt: number;
  /** The controller's epoch (bumped when it lets the node go) the session was made in: an older one writes nothing. */
  epoch: number;
}
