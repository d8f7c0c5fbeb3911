/** The case directory API's shapes, as the console reads them (telephony/cases/). */
export interface CaseRowProblem {
  row: number | null;
  column: 'case_number' | 'judge_username' | 'department' | null;
  messageZh: string;
  messageEn: string;
}

export interface CaseImportPreview {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  problems: CaseRowProblem[];
}

export interface CaseSource {
  url: string;
  hasToken: boolean;
  everyMinutes: number;
  updatedAt: string;
  lastSyncAt: string | null;
  lastResult: 'ok' | 'failed' | null;
  lastTrigger: 'manual' | 'schedule' | null;
  lastError: string | null;
  lastErrorZh: string | null;
  lastTotal: number | null;
  lastCreated: number | null;
  lastUpdated: number | null;
}
