import type ExcelJS from 'exceljs';
import type { DecisionView } from './report-decisions.ts';
import type { WeeklyReportBody } from './weekly-report.ts';

/** What the workbook needs beside the report's body: names for the court, categories and ticket numbers, and the decisions. */
export interface WeeklyReportWorkbookInput {
  courtName: string;
  weekStart: string;
  generatedAt: Date;
  body: WeeklyReportBody;
  categoryNames: Map<string, string>;
  decisions: DecisionView[];
}

const chinaOffsetMs = 8 * 3_600_000;
/** An instant as China wall time, "YYYY-MM-DD HH:mm". */
export function chinaTimeText(at: Date | string): string {
  const local = new Date(new Date(at).getTime() + chinaOffsetMs).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}
const chinaDay = (at: Date | string, endExclusive = false) => new Date(new Date(at).getTime() + chinaOffsetMs - (endExclusive ? 1 : 0)).toISOString().slice(0, 10);

export const decisionStateZh = { open: '未完成', done: '已完成', dropped: '已撤销' } as const;
const figureZh: Record<string, string> = { connectionRate: '接通率', completionRate: '工单办理率', score: '考核得分（满分6）' };
const percent = '0.0%';

function headerRow(sheet: ExcelJS.Worksheet, values: string[]) {
  const row = sheet.addRow(values);
  row.font = { bold: true };
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
}

/**
 * The weekly report (seed 002 §22) as an XLSX workbook in Chinese: the figures against the 95% targets as
 * percentages, the busiest categories by name, overdue tickets and unsatisfied callers by ticket number, the
 * meeting's decisions and those carried from earlier weeks, the week's quality review (录音质检) per operator — times
 * in China time, people by name.
 */
export async function weeklyReportWorkbook(input: WeeklyReportWorkbookInput): Promise<Buffer> {
  const { body } = input;
  const k = body.figures.kpis;
  const s = body.figures.sums;
  // Loaded on the first export, not at start-up: ~8 MB of heap every process would otherwise keep (the telephony
  // role never exports, and a smaller old generation is a shorter full GC).
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  book.created = input.generatedAt;

  const summary = book.addWorksheet('周报');
  summary.columns = [{ width: 28 }, { width: 22 }, { width: 14 }, { width: 12 }];
  summary.addRow([`${input.courtName} 12368热线周报`]).font = { bold: true, size: 14 };
  summary.addRow(['统计周期（北京时间）', `${chinaDay(body.weekStart)} 至 ${chinaDay(body.weekEnd, true)}`]);
  summary.addRow(['生成时间（北京时间）', chinaTimeText(input.generatedAt)]);
  summary.addRow([]);
  headerRow(summary, ['考核指标', '本周', '目标', '是否达标']);
  for (const t of body.againstTargets) {
    const rate = t.figure !== 'score';
    const row = summary.addRow([figureZh[t.figure] ?? t.figure, t.value, t.target, t.met === null ? '无数据' : t.met ? '达标' : '未达标']);
    if (rate) {
      row.getCell(2).numFmt = percent;
      row.getCell(3).numFmt = percent;
    }
  }
  summary.addRow([]);
  headerRow(summary, ['其他指标', '本周']);
  const rates: [string, number | null][] = [
    ['来电接通率', k.connectionRate.inbound],
    ['转接接通率', k.connectionRate.transfer],
    ['按期办结率', k.onTimeRate],
    ['服务水平（20秒内接听）', k.serviceLevel],
    ['放弃率', k.abandonRate],
    ['回访率', k.callbackRate],
    ['满意率', k.satisfactionRate],
  ];
  for (const [name, value] of rates) summary.addRow([name, value]).getCell(2).numFmt = percent;
  const counts: [string, number][] = [
    ['进线', s.offered],
    ['接通', s.answered],
    ['转接', s.transfer_attempts],
    ['转接接通', s.transfers_connected],
    ['工单', s.tickets],
    ['应办工单', s.due],
    ['已办结', s.completed],
    ['超期', s.overdue],
    ['督办', s.chases],
  ];
  for (const [name, value] of counts) summary.addRow([name, value]);
  summary.addRow([]);
  headerRow(summary, ['工单最多的类别', '工单数']);
  for (const c of body.topCategories) summary.addRow([c.category ? (input.categoryNames.get(c.category) ?? c.category) : '（未分类）', c.tickets]);

  const tickets = book.addWorksheet('超期与不满意');
  tickets.columns = [{ width: 26 }, { width: 22 }, { width: 20 }];
  headerRow(tickets, ['超期工单', '办理期限（北京时间）']);
  for (const t of body.overdueTickets) tickets.addRow([t.number ?? '（编号不详）', chinaTimeText(t.dueAt)]);
  tickets.addRow([]);
  headerRow(tickets, ['回访不满意工单', '来电号码（脱敏）']);
  for (const t of body.unsatisfiedCallers) tickets.addRow([t.number ?? '（编号不详）', t.callerNumber ?? '（保密）']);

  // 录音质检 (docs/quality.md "Figures"), at the end of the summary: per operator, then the team.
  summary.addRow([]);
  headerRow(summary, ['录音质检（话务员）', '接听量', '已评分', '覆盖率', '平均分', '致命错误']);
  if (body.quality) {
    for (const o of [...body.quality.operators, { ...body.quality, name: '话务组合计' }]) {
      summary.addRow([o.name, o.answered, o.reviewed, o.coverage, o.meanScore ?? '—', o.fatalErrors]).getCell(4).numFmt = percent;
    }
  } else summary.addRow(['（本周报生成时尚无录音质检）']);

  const decisionSheet = (title: string, rows: DecisionView[], withWeek: boolean) => {
    const sheet = book.addWorksheet(title);
    sheet.columns = [...(withWeek ? [{ width: 14 }] : []), { width: 48 }, { width: 14 }, { width: 12 }, { width: 10 }, { width: 14 }, { width: 18 }, { width: 24 }];
    headerRow(sheet, [...(withWeek ? ['周报周次'] : []), '决定事项', '负责人', '完成期限', '状态', '记录人', '记录时间（北京时间）', '状态说明']);
    for (const d of rows) {
      const row = sheet.addRow([...(withWeek ? [`${d.reportWeekStart} 起一周`] : []), d.text, d.ownerName, d.dueDate, decisionStateZh[d.state], d.recordedByName, chinaTimeText(d.recordedAt), d.stateNote ?? '']);
      row.alignment = { wrapText: true, vertical: 'top' };
    }
    if (rows.length === 0) sheet.addRow(['（无）']);
  };
  decisionSheet('会议决定', input.decisions, false);
  decisionSheet('往期决定跟踪', body.carriedDecisions ?? [], true);

  return Buffer.from(await book.xlsx.writeBuffer());
}
