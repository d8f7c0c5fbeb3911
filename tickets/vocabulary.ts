/** One source for every ticket enum: tables, schemas, the stage machine and the UI read these. */

/** 环节: answer 接听 → handoff 交办 → chase 督办 → feedback 反馈 → callback 回访 → closed; void 作废. */
export const stages = ['answer', 'handoff', 'chase', 'feedback', 'callback', 'closed', 'void'] as const;
export type Stage = (typeof stages)[number];

export const priorities = ['normal', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

/** Callback (回访) satisfaction, as the caller says it. */
export const satisfactions = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Satisfaction = (typeof satisfactions)[number];

/** How a deadline policy counts its days. */
export const dayKinds = ['working', 'calendar'] as const;
export type DayKind = (typeof dayKinds)[number];

/** How the handler's reply reached the caller. */
export const deliveryChannels = ['phone', 'sms'] as const;
export type DeliveryChannel = (typeof deliveryChannels)[number];

/** Deadline timers (督办): a reminder before the deadline, escalations after it. */
export const timerLevels = ['reminder', 'escalation1', 'escalation2'] as const;
export type TimerLevel = (typeof timerLevels)[number];

export const timerStatuses = ['pending', 'fired', 'cancelled'] as const;
export type TimerStatus = (typeof timerStatuses)[number];

/** Calendar overrides: a public holiday on a weekday, or a make-up working day (调休) on a weekend. */
export const calendarDayKinds = ['holiday', 'workday'] as const;
export type CalendarDayKind = (typeof calendarDayKinds)[number];

/** The categories shipped with the product; admins can add, rename and re-time them. */
export const defaultCategories = [
  { code: 'enquiry', nameZh: '咨询', nameEn: 'Enquiry' },
  { code: 'case_progress', nameZh: '案件进度查询', nameEn: 'Case progress' },
  { code: 'contact_judge', nameZh: '联系承办法官', nameEn: 'Contact the judge' },
  { code: 'complaint', nameZh: '投诉', nameEn: 'Complaint' },
  { code: 'suggestion', nameZh: '意见建议', nameEn: 'Suggestion' },
  { code: 'petition', nameZh: '信访', nameEn: 'Petition' },
  { code: 'execution_lead', nameZh: '执行线索', nameEn: 'Execution lead' },
  { code: 'file_reading_appointment', nameZh: '预约阅卷', nameEn: 'File-reading appointment' },
  { code: 'post_judgment_question', nameZh: '判后答疑', nameEn: 'Post-judgment question' },
  { code: 'other', nameZh: '其他', nameEn: 'Other' },
] as const;
