import type { Ticket } from '../../api/types.ts';

/** A row of GET /api/tickets: the ticket as its reader may see it, with names (tickets/worklist-schema.ts). */
export interface WorklistRow extends Ticket {
  courtId: string;
  callIds: string[];
  updatedAt: string;
  ownerName: string | null;
  handlerName: string | null;
  departmentName: string | null;
  categoryName: string | null;
  overdue: boolean;
}

export interface WorklistPageData {
  rows: WorklistRow[];
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
}

/** GET /api/tickets/:id/page (tickets/ticket-page.ts). */
export interface TicketPageData {
  ticket: Omit<WorklistRow, 'overdue'>;
  events: { id: number; action: string; actorId: string; actorRole: string; actorName: string | null; at: string; reason: string | null }[];
  calls: {
    callId: string;
    arrivedAt: string;
    answeredAt: string | null;
    endedAt: string | null;
    durationSeconds: number | null;
    talkSeconds: number | null;
    outcome: string | null;
    operatorName: string | null;
    recordings: { kind: string; status: string; playable: boolean; url: string }[];
  }[];
}

/** "2026-12-06 14:05" in China time (UTC+8, no daylight saving), whatever the browser's zone. */
export function chinaTime(iso: string | null, short = false): string {
  if (!iso) return '';
  const text = new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  return short ? text.slice(5) : text;
}

/** The filters the list keeps in the address (so a ticket page's "back" returns to the same list), as the API names them. */
export const filterKeys = ['scope', 'stage', 'due', 'ownerId', 'handlerUserId', 'departmentId', 'category', 'callerNumber', 'caseNumber', 'createdFrom', 'createdTo', 'q', 'sort', 'dir', 'page', 'pageSize'] as const;
export type FilterKey = (typeof filterKeys)[number];

/** The API query for the address's filters (unknown keys dropped, so a stray parameter is never a 400). */
export function apiQuery(params: URLSearchParams, without: FilterKey[] = []): string {
  const out = new URLSearchParams();
  for (const key of filterKeys) {
    const value = params.get(key);
    if (value && !without.includes(key)) out.set(key, value);
  }
  return out.toString();
}
