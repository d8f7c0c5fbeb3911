/** The answer of GET /api/supervision (tickets/supervision.routes.ts). */
export interface Counts {
  open: number;
  overdue: number;
  dueSoon: number;
  extensionRequested: number;
}

export const ageBuckets = ['d0_1', 'd1_3', 'd3_7', 'd7_plus'] as const;
export type AgeBucket = (typeof ageBuckets)[number];

export interface BoardTicket {
  id: string;
  number: string;
  category: string;
  summary: string;
  stage: 'handoff' | 'chase';
  deadline: string | null;
  handedOffAt: string | null;
  acceptedAt: string | null;
  chaseLevel: number;
  extensionRequestedUntil: string | null;
  extensionReason: string | null;
  handlerUserId: string | null;
  handlerName: string | null;
  departmentId: string | null;
  departmentName: string | null;
  overdue: boolean;
}

export interface Board {
  asOf: string;
  dueSoonUntil: string;
  totals: Counts;
  departments: (Counts & { departmentId: string | null; departmentName: string | null; backlog: Record<AgeBucket, number> })[];
  judges: (Counts & { handlerUserId: string | null; handlerName: string | null; departmentId: string | null; departmentName: string | null })[];
  tickets: BoardTicket[];
  limit: number;
}

/** The realtime notices after which the board is read again. */
export const boardEvents = ['ticket.assigned', 'ticket.accepted', 'ticket.deadline_near', 'ticket.overdue', 'ticket.replied', 'ticket.reopened', 'ticket.extension_requested', 'ticket.extension_approved', 'ticket.extension_refused', 'ticket.chased', 'ticket.escalated', 'resync'];
