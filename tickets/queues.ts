import type { UserRole } from '../platform/user-roles.ts';
import type { TimerLevel } from './vocabulary.ts';

/** One BullMQ queue per stage (接听, 交办, 督办, 反馈, 回访). */
export const stageQueues = {
  answer: 'tickets-answer',
  handoff: 'tickets-handoff',
  chase: 'tickets-chase',
  feedback: 'tickets-feedback',
  callback: 'tickets-callback',
} as const;
export type StageQueue = (typeof stageQueues)[keyof typeof stageQueues];

/**
 * Notices to the consoles have a queue of their own, so a stage's work (a night's chase timers) never waits
 * behind its notifications. The stage queues keep a `notify` handler for notices relayed before this queue existed.
 */
export const noticeQueue = 'tickets-notify';

/** Job payloads, one type per job name. */
export interface NotifyJob {
  eventId: number;
  ticketId: string;
  courtId: string;
  type: string;
  /** Court-wide roles, named users, and (resolved when sent) the judges and/or heads of departments. */
  audience: { roles?: UserRole[]; userIds?: string[]; departments?: { id: string; roles: ('judge' | 'department_head')[] }[] };
  data: Record<string, unknown>;
}

export interface SlaJob {
  ticketId: string;
  level: TimerLevel;
  deadlineVersion: number;
}

export interface DeliverJob {
  ticketId: string;
  deliveryId: string;
}

/** A sent SMS whose receipt has not come: fails the delivery if it is still only 'sent' when it runs. */
export interface SmsTimeoutJob {
  ticketId: string;
  deliveryId: string;
}

export const jobNames = { notify: 'notify', sla: 'sla', deliver: 'deliver', smsTimeout: 'sms-timeout' } as const;

/** Deterministic job ids: the same change always makes the same id, so BullMQ keeps one job for it. */
export const jobIds = {
  sla: (ticketId: string, deadlineVersion: number, level: TimerLevel) => `sla-${ticketId}-v${deadlineVersion}-${level}`,
  notify: (eventId: number, n: number) => `notify-${eventId}-${n}`,
  deliver: (deliveryId: string) => `deliver-${deliveryId}`,
  smsTimeout: (deliveryId: string) => `sms-timeout-${deliveryId}`,
  /** A notice about a delivery's outcome (it is not a ticket change, so it has no event id of its own). */
  deliveryNotice: (deliveryId: string) => `notify-delivery-${deliveryId}`,
};

/** Where a delivery's jobs run: a feedback relay in 反馈's queue, a hand-off notice in 交办's. */
export const deliveryQueue = (purpose: 'feedback' | 'handoff_notice'): StageQueue => (purpose === 'feedback' ? stageQueues.feedback : stageQueues.handoff);
