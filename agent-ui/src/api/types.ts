/** Shapes of the API's answers that the console reads (docs/api.md, docs/tickets.md). */
import type { Stage } from '../../../tickets/vocabulary.ts';

export type UserRole = 'operator' | 'judge' | 'department_head' | 'manager' | 'admin';
export const userRoles: UserRole[] = ['operator', 'judge', 'department_head', 'manager', 'admin'];

export interface Profile {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  courtId: string;
  courtName: string;
  departmentId: string | null;
  sipEndpoint: string | null;
  /** An admin set the password: the console shows only the change form until the user has chosen their own. */
  mustChangePassword: boolean;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  departmentId: string | null;
  sipEndpoint: string | null;
  extension: string | null;
  active: boolean;
  hasPassword: boolean;
}

export interface Department {
  id: string;
  name: string;
  extension: string | null;
  active: boolean;
}

export interface Judge {
  userId: string;
  displayName: string;
  role: 'judge' | 'department_head';
  departmentId: string | null;
  departmentName: string | null;
  extension: string | null;
}

export interface Category {
  code: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
}

export interface Ticket {
  id: string;
  number: string;
  callerNumber: string | null;
  callerName: string | null;
  caseNumber: string | null;
  category: string;
  summary: string;
  details: string;
  priority: 'normal' | 'urgent';
  stage: Stage;
  ownerId: string | null;
  handlerUserId: string | null;
  handlerDepartmentId: string | null;
  handedOffAt: string | null;
  acceptedAt: string | null;
  deadline: string | null;
  extensionRequestedUntil: string | null;
  extensionReason: string | null;
  chaseLevel: number;
  feedbackText: string | null;
  repliedAt: string | null;
  createdAt: string;
  /** 保密 (its own mark or its category's); `masked`: this copy shows no caller identity and no text. */
  confidential: boolean;
  masked: boolean;
}

export type InboxFilter = 'all' | 'due_soon' | 'overdue' | 'extension_requested';
export const inboxFilters: InboxFilter[] = ['all', 'due_soon', 'overdue', 'extension_requested'];

/** A knowledge-base entry (api/knowledge): the answer operators give to a common question. */
export interface KnowledgeEntry {
  id: string;
  category: string;
  question: string;
  answer: string;
  keywords: string[];
  source: string | null;
  active: boolean;
  updatedAt: string;
}

export interface KnowledgeHit extends KnowledgeEntry {
  score: number;
}
