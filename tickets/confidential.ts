import { eq } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { isHandler, isHeadOf } from './authorize.ts';
import { categories } from './categories.sql.ts';
import type { TicketActor } from './context.ts';

/**
 * Confidential complaints (seed 001 §3.8, 严格遵守保密纪律): a ticket marked confidential (by the operator at
 * registration or later, by the handler, or by its category's setting) is seen in full only by its handler, the
 * head of the department it is handed to and the court's managers; everyone else reads it masked: no caller
 * identity, no text. Masking is done where a ticket is read for a person (queries.ts, own-queue.ts), so every
 * view — the ticket page, lists, its trail, a KPI figure's drill-down that opens it — shows the same.
 */

/** What is said in place of the text of a confidential ticket. */
export const confidentialText = '【保密】此工单内容保密，仅承办人、部门负责人和管理人员可见。Confidential: only the handler, the department head and managers see it.';

interface Markable {
  category: string;
  confidential: boolean;
}

/** The codes of categories whose tickets are all confidential (a small table, read per request). */
export async function confidentialCategories(db: Pick<Db, 'select'>): Promise<ReadonlySet<string>> {
  const rows = await db.select({ code: categories.code }).from(categories).where(eq(categories.confidential, true));
  return new Set(rows.map((r) => r.code));
}

export function isConfidential(ticket: Markable, confidentialCategoryCodes: ReadonlySet<string>): boolean {
  return ticket.confidential || confidentialCategoryCodes.has(ticket.category);
}

/** Who reads a confidential ticket in full: its handler, the head of its department, a manager (same court: checked before). */
export function seesConfidential(actor: TicketActor, ticket: { handlerUserId: string | null; handlerDepartmentId: string | null }): boolean {
  return actor.role === 'manager' || isHandler(actor, ticket) || isHeadOf(actor, ticket);
}

/** The fields that identify the caller or hold what was said; each is blanked (or replaced) for those who may not see it. */
const hidden = {
  callerNumber: null,
  callerName: null,
  caseNumber: null,
  details: '',
  feedbackText: null,
  extensionReason: null,
  voidReason: null,
} as const;

/**
 * A ticket as this actor may see it: with `confidential` (the effective mark) and `masked` (whether this copy is
 * masked). Text fields that were set keep saying so (the summary and a void reason read as confidentialText).
 */
export function viewAs<T extends Markable & { handlerUserId: string | null; handlerDepartmentId: string | null; summary?: string; voidReason?: string | null; callIds?: string[] }>(
  actor: TicketActor,
  ticket: T,
  codes: ReadonlySet<string>,
): T & { confidential: boolean; masked: boolean } {
  const confidential = isConfidential(ticket, codes);
  if (!confidential || seesConfidential(actor, ticket)) return { ...ticket, confidential, masked: false };
  const out: Record<string, unknown> = { ...(ticket as Record<string, unknown>), confidential, masked: true };
  for (const [key, value] of Object.entries(hidden)) if (key in ticket) out[key] = value;
  if ('summary' in ticket) out.summary = confidentialText;
  if (ticket.voidReason) out.voidReason = confidentialText;
  // The calls behind it lead to the caller's number: not listed either.
  if ('callIds' in ticket) out.callIds = [];
  return out as unknown as T & { confidential: boolean; masked: boolean };
}

/** Keys of a trail event's before/after that say nothing of the caller or of what was said. */
const trailKeysShown = new Set([
  'stage',
  'category',
  'priority',
  'ownerId',
  'handlerUserId',
  'handlerDepartmentId',
  'handedOffAt',
  'acceptedAt',
  'deadline',
  'deadlineVersion',
  'extensionRequestedUntil',
  'chaseLevel',
  'repliedAt',
  'deliveryChannel',
  'deliveredAt',
  'answeredOnSpot',
  'callbackResolved',
  'satisfaction',
  'callbackAt',
  'reopenCount',
  'closedAt',
  'createdAt',
  'confidential',
  'number',
  'courtId',
  'id',
]);

const keepShown = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => trailKeysShown.has(k)));

/** A trail event as a masked reader sees it: only the keys above, no reason. The hashes stay (verification needs the full rows anyway). */
export function maskedEvent<E extends { before: unknown; after: unknown; reason: string | null }>(event: E): E {
  return { ...event, before: keepShown(event.before as Record<string, unknown>), after: keepShown(event.after as Record<string, unknown>), reason: event.reason === null ? null : confidentialText };
}
