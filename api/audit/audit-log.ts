import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { auditLog } from './audit.sql.ts';

/** What the api audits. Other capabilities keep their own trails (tickets: the hash-chained events). */
export const auditActions = [
  'sign_in.succeeded',
  'sign_in.failed',
  'sign_in.locked',
  'sign_in.rate_limited',
  'sign_out',
  'user.created',
  'user.updated',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'user.password_set',
  'user.password_changed',
  'user.unlocked',
  'user.sip_password_rotated',
  'department.created',
  'department.updated',
  'court.created',
  'court.updated',
  'recording.played',
  /** A legal hold put on a call's recording, or lifted (telephony/recordings/holds.ts), with the reason. */
  'recording.hold_placed',
  'recording.hold_lifted',
  /** A lift refused for want of authority (403 hold_lift_not_allowed): who, the call, the placer's role; nothing changed. */
  'recording.hold_lift_refused',
  /** Any other change by an admin, or on an admin or manager route (api/audit/admin-actions.ts). */
  'admin.action',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEntry {
  action: AuditAction;
  courtId: string | null;
  actorUserId: string | null;
  targetType?: 'user' | 'department' | 'court' | 'call';
  targetId?: string;
  /** Must already be masked (see platform/masking.ts): no passwords, phone numbers or ID numbers. */
  detail?: Record<string, unknown>;
  ip?: string;
}

type Inserter = Pick<Db, 'insert'>;

/** Append-only audit trail. Record a permission change with the `tx` that makes it, so both land or neither. */
export class AuditLog {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry, tx: Inserter = this.db): Promise<void> {
    await tx.insert(auditLog).values({
      action: entry.action,
      courtId: entry.courtId,
      actorUserId: entry.actorUserId,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      detail: entry.detail ?? {},
      ip: entry.ip?.slice(0, 64) ?? null,
    });
  }

  /** A court's trail, newest first, paged by id. */
  async list(courtId: string, { limit, beforeId }: { limit: number; beforeId?: number | undefined }) {
    return this.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.courtId, courtId), beforeId ? lt(auditLog.id, beforeId) : undefined))
      .orderBy(desc(auditLog.id))
      .limit(limit);
  }
}
