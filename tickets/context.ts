import type { Db } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import type { Sealing } from '../platform/seals/seals.ts';
import { systemActorId, type Actor } from '../platform/user-roles.ts';
import type { Clock } from './clock.ts';
import type { ChaseSettings } from './deadline.ts';
import type { PhoneEvidence } from './ports.ts';
import type { ActorRole } from './stage-machine.ts';

/** Who acts on a ticket: a signed-in person, or the system (timers, telephony, workers). */
export type TicketActor = Actor | SystemActor;
export interface SystemActor {
  userId: typeof systemActorId;
  role: 'system';
  courtId: string;
  departmentId: null;
}

export function systemActor(courtId: string): SystemActor {
  return { userId: systemActorId, role: 'system', courtId, departmentId: null };
}

export function roleOf(actor: TicketActor): ActorRole {
  return actor.role;
}

/** What every tickets command is given (built once in plugin.ts, or by a test). */
export interface TicketContext {
  db: Db;
  clock: Clock;
  logger: Logger;
  chase: ChaseSettings;
  /** Called after a commit that wrote outbox rows. */
  onCommit: () => void;
  /** The seal key and head log the trail's appends are sealed with (audit-seal.ts); absent or null: unsealed (verify names such events). */
  seals?: Sealing | null;
  /** The SMS gateway in use (tickets/sms/); absent or null: none configured, SMS relay is refused. */
  sms?: { gateway: string; receiptTimeoutMs: number } | null;
  /** Telephony's call records, checked before a phone delivery typed in by hand counts (tickets/phone/); absent: such a delivery is refused. */
  phoneEvidence?: PhoneEvidence | null;
}
