/** The quality API's shapes (telephony/quality). */
export interface FormItem {
  key: string;
  label: string;
  weight: number;
  fatal: boolean;
}
export interface QualityForm {
  id: string;
  familyId: string;
  version: number;
  name: string;
  items: FormItem[];
  createdAt: string;
  retiredAt: string | null;
}
export interface ReviewRow {
  id: string;
  callId: string;
  callArrivedAt: string;
  callerNumber: string | null;
  operator: { id: string; name: string };
  week: string;
  reasons: string[];
  status: 'sampled' | 'scored' | 'appealed' | 'accepted' | 'decided';
  reviewer: { id: string; name: string } | null;
  score: number | null;
  fatal: boolean | null;
  locked: boolean;
  appealReason: string | null;
  decision: string | null;
}
export interface ReviewDetail extends ReviewRow {
  form: { id: string; name: string; version: number; items: FormItem[] } | null;
  points: Record<string, number> | null;
  fatalFailed: string[] | null;
  comment: string | null;
  decisionComment: string | null;
  recording: 'stored' | 'missing' | 'removed' | 'none';
  events: Array<{ seq: number; kind: string; actor: string; at: string; data: Record<string, unknown> }>;
}
export interface Figure {
  answered: number;
  reviewed: number;
  meanScore: number | null;
  fatalErrors: number;
  coverage: number | null;
  appeals: number;
}
export interface Figures {
  from: string;
  to: string;
  team: Figure;
  operators: Array<Figure & { operator: { id: string; name: string } }>;
}
