import type { Figures } from '../../api/kpi.ts';

/** A review decision (kpi/report-decisions.routes.ts). */
export interface Decision {
  id: number;
  reportId: number;
  reportWeekStart: string;
  text: string;
  ownerUserId: string;
  ownerName: string;
  dueDate: string;
  state: 'open' | 'done' | 'dropped';
  stateNote: string | null;
  recordedBy: string;
  recordedByName: string;
  recordedAt: string;
  stateChangedBy: string | null;
  stateChangedByName: string | null;
  stateChangedAt: string | null;
}

export const decisionStates = ['open', 'done', 'dropped'] as const;

/** A weekly report as GET /api/kpi/weekly-reports answers it (kpi/weekly-report.ts). */
export interface WeeklyReport {
  id: number;
  weekStart: string;
  trigger: 'schedule' | 'on_demand';
  generatedAt: string;
  body: {
    weekStart: string;
    weekEnd: string;
    asOf: string;
    figures: Figures;
    againstTargets: { figure: 'connectionRate' | 'completionRate' | 'score'; value: number | null; target: number; met: boolean | null }[];
    topCategories: { category: string | null; tickets: number }[];
    overdueTickets: { ticketId: string; number: string | null; dueAt: string }[];
    unsatisfiedCallers: { ticketId: string; number: string | null; callerNumber: string | null }[];
    carriedDecisions?: Decision[];
  };
}
