/** The settings API's shapes, as the console reads them. */
export type CalendarDayKind = 'holiday' | 'workday';

export interface CalendarDay {
  day: string;
  kind: CalendarDayKind;
  name: string;
  source: string;
  origin: 'national' | 'court';
}

export interface Session {
  weekday: number;
  opens: string;
  closes: string;
}

export interface CategoryPolicy {
  code: string;
  nameZh: string;
  nameEn: string;
  deadlineDays: number;
  dayKind: 'working' | 'calendar';
  callbackWhenAnsweredOnSpot: boolean;
  active: boolean;
  confidential: boolean;
  sortOrder: number;
}

export interface KpiSettings {
  serviceLevelSeconds: number;
  shortAbandonSeconds: number;
  changedAt: string | null;
  changedBy: string | null;
}

export interface OperatorSkills {
  skills: string[];
  operators: Array<{ userId: string; username: string; displayName: string; active: boolean; skills: string[] }>;
}

export interface HotlineNumber {
  number: string;
  createdAt: string;
}
