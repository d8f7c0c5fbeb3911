import type { CalendarDayKind } from '../platform/calendar/working-calendar.ts';

/**
 * The national default calendar every court inherits: public holidays and make-up working days (调休) as published
 * by the General Office of the State Council. It changes only with a release of this file (seeded at start-up,
 * platform/calendar/seed.ts); a court's admin overrides days for their own court (PUT /api/calendar).
 *
 * 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）,
 *       published by Xinhua, e.g. https://m.gmw.cn/2024-11/12/content_1303894933.htm
 * 2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）,
 *       published by Xinhua, e.g. https://politics.gmw.cn/2025-11/04/content_38391083.htm
 */
const source2025 = '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）';
const source2026 = '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）';
/**
 * 2027: the State Council's notice for 2027 is NOT in this repository yet. Until it is, 2027 carries only the
 * statutory holidays themselves (全国年节及纪念日放假办法, 2024年修订, 第二条): 元旦 1 day, 春节 4 days (除夕 and
 * 正月初一至初三), 清明 1, 劳动节 2 (May 1–2), 端午 1, 中秋 1, 国庆 3 (October 1–3); the lunar dates are from the
 * Chinese calendar in Node's ICU (78) and 清明 is the solar term. No make-up working days, no bridging days and no
 * 补假 for statutory days on a weekend: those come only with the notice, which replaces these rows when added.
 */
const source2027 = '全国年节及纪念日放假办法（2024年修订）第二条法定假日；2027年国务院办公厅放假安排通知未收录，调休以通知为准';

interface Period {
  name: string;
  from: string;
  to: string;
  workdays: string[];
  source: string;
}

const periods: Period[] = [
  { name: '元旦', from: '2025-01-01', to: '2025-01-01', workdays: [], source: source2025 },
  { name: '春节', from: '2025-01-28', to: '2025-02-04', workdays: ['2025-01-26', '2025-02-08'], source: source2025 },
  { name: '清明节', from: '2025-04-04', to: '2025-04-06', workdays: [], source: source2025 },
  { name: '劳动节', from: '2025-05-01', to: '2025-05-05', workdays: ['2025-04-27'], source: source2025 },
  { name: '端午节', from: '2025-05-31', to: '2025-06-02', workdays: [], source: source2025 },
  { name: '国庆节、中秋节', from: '2025-10-01', to: '2025-10-08', workdays: ['2025-09-28', '2025-10-11'], source: source2025 },

  { name: '元旦', from: '2026-01-01', to: '2026-01-03', workdays: ['2026-01-04'], source: source2026 },
  { name: '春节', from: '2026-02-15', to: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'], source: source2026 },
  { name: '清明节', from: '2026-04-04', to: '2026-04-06', workdays: [], source: source2026 },
  { name: '劳动节', from: '2026-05-01', to: '2026-05-05', workdays: ['2026-05-09'], source: source2026 },
  { name: '端午节', from: '2026-06-19', to: '2026-06-21', workdays: [], source: source2026 },
  { name: '中秋节', from: '2026-09-25', to: '2026-09-27', workdays: [], source: source2026 },
  { name: '国庆节', from: '2026-10-01', to: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'], source: source2026 },

  { name: '元旦', from: '2027-01-01', to: '2027-01-01', workdays: [], source: source2027 },
  { name: '春节', from: '2027-02-06', to: '2027-02-09', workdays: [], source: source2027 },
  { name: '清明节', from: '2027-04-05', to: '2027-04-05', workdays: [], source: source2027 },
  { name: '劳动节', from: '2027-05-01', to: '2027-05-02', workdays: [], source: source2027 },
  { name: '端午节', from: '2027-06-09', to: '2027-06-09', workdays: [], source: source2027 },
  { name: '中秋节', from: '2027-09-15', to: '2027-09-15', workdays: [], source: source2027 },
  { name: '国庆节', from: '2027-10-01', to: '2027-10-03', workdays: [], source: source2027 },
];

export interface CalendarSeedDay {
  day: string;
  kind: CalendarDayKind;
  name: string;
  source: string;
}

/** Every shipped national day: each day of each holiday period, and each make-up working day. */
export const nationalCalendarDefault: CalendarSeedDay[] = periods.flatMap((p) => {
  const days: CalendarSeedDay[] = [];
  for (let d = p.from; d <= p.to; d = nextDay(d)) days.push({ day: d, kind: 'holiday', name: p.name, source: p.source });
  for (const w of p.workdays) days.push({ day: w, kind: 'workday', name: `${p.name}调休上班`, source: p.source });
  return days;
});

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
