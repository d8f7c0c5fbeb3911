/** GET/PUT /api/telephony/recording-retention (telephony/recording-retention.routes.ts). */
export interface RetentionView {
  days: number;
  /** False: the court has not set its own; the deployment's default applies. */
  own: boolean;
  defaultDays: number;
  min: number;
  max: number;
  updatedAt: string | null;
  effect: { days: number; stored: number; held: number; dueNow: number; oldestKeptExpiresAt: string | null };
  nextRunAt: string | null;
}

/** A legal hold on a recording (telephony/recording-holds.routes.ts). */
export interface RecordingHold {
  id: string;
  callId: string;
  kind: 'conversation' | 'message';
  callArrivedAt: string;
  recordingStatus: string;
  reason: string;
  /** With the role they placed it in: lifting it needs that role or a higher one. */
  placedBy: { id: string; name: string; role: 'department_head' | 'manager' | 'admin' };
  placedAt: string;
  lifted: { by: { id: string; name: string }; at: string; reason: string } | null;
  /** Whether the signed-in user may lift it (the API decides). */
  mayLift: boolean;
}
