import { deriveKpis } from './kpis.ts';
import { bucketText, chinaTime, durationText, percentText, spanText } from './export-format.ts';
import type { ExportLang } from './key-names.ts';
import type { Dimension, KpiFilter } from './query.ts';
import type { KpiTable, KpiTableRow } from './table.ts';

/** What turns a table into a file people read: names for the keys, the language, and whose figures they are. */
export interface ExportOptions {
  lang?: ExportLang;
  /** Key (user or department id, category code) → name; a key not in it is shown as it is. */
  names?: Map<string, string>;
  /** The slice the table covers: the total row says "court total" only when nothing narrows it. */
  filter?: Pick<KpiFilter, 'operatorId' | 'departmentId' | 'judgeId' | 'category'>;
}

type Kind = 'rate' | 'duration' | 'count';
interface Column {
  zh: string;
  en: string;
  kind: Kind;
  value: (r: KpiTableRow) => number | null;
}

/** The columns of an exported KPI table: the published figures first, then the counts they come from. */
const columns: Column[] = [
  { zh: '接通率', en: 'Connection rate', kind: 'rate', value: (r) => r.kpis.connectionRate.combined },
  { zh: '接通率（未剔除短时放弃）', en: 'Connection rate (raw)', kind: 'rate', value: (r) => r.kpis.connectionRate.combinedRaw },
  { zh: '来电接通率', en: 'Inbound connection rate', kind: 'rate', value: (r) => r.kpis.connectionRate.inbound },
  { zh: '转接接通率', en: 'Transfer connection rate', kind: 'rate', value: (r) => r.kpis.connectionRate.transfer },
  { zh: '工单办理率', en: 'Completion rate', kind: 'rate', value: (r) => r.kpis.completionRate },
  { zh: '按期办结率', en: 'On-time rate', kind: 'rate', value: (r) => r.kpis.onTimeRate },
  { zh: '考核得分（满分6）', en: 'Score (of 6)', kind: 'count', value: (r) => r.kpis.score },
  { zh: '服务水平', en: 'Service level', kind: 'rate', value: (r) => r.kpis.serviceLevel },
  { zh: '平均应答时长', en: 'Average speed of answer', kind: 'duration', value: (r) => r.kpis.averageSpeedOfAnswerSeconds },
  { zh: '放弃率', en: 'Abandon rate', kind: 'rate', value: (r) => r.kpis.abandonRate },
  { zh: '放弃率（未剔除短时放弃）', en: 'Abandon rate (raw)', kind: 'rate', value: (r) => r.kpis.abandonRateRaw },
  { zh: '平均通话时长', en: 'Average handle time', kind: 'duration', value: (r) => r.kpis.averageHandleTimeSeconds },
  { zh: '登记率', en: 'Registration rate', kind: 'rate', value: (r) => r.kpis.registrationRate },
  { zh: '回访率', en: 'Return-visit rate', kind: 'rate', value: (r) => r.kpis.callbackRate },
  { zh: '满意率', en: 'Satisfaction rate', kind: 'rate', value: (r) => r.kpis.satisfactionRate },
  { zh: '来电', en: 'Calls', kind: 'count', value: (r) => r.sums.calls },
  { zh: '进线', en: 'Offered', kind: 'count', value: (r) => r.sums.offered },
  { zh: '接通', en: 'Answered', kind: 'count', value: (r) => r.sums.answered },
  { zh: '转接', en: 'Transfer attempts', kind: 'count', value: (r) => r.sums.transfer_attempts },
  { zh: '转接接通', en: 'Transfers connected', kind: 'count', value: (r) => r.sums.transfers_connected },
  { zh: '放弃', en: 'Abandoned', kind: 'count', value: (r) => r.sums.abandoned },
  { zh: '短时放弃', en: 'Short abandons', kind: 'count', value: (r) => r.sums.abandoned_short },
  { zh: '工单', en: 'Tickets', kind: 'count', value: (r) => r.sums.tickets },
  { zh: '当场答复', en: 'Answered on the spot', kind: 'count', value: (r) => r.sums.on_spot },
  { zh: '应办工单', en: 'Due', kind: 'count', value: (r) => r.sums.due },
  { zh: '已办结', en: 'Completed', kind: 'count', value: (r) => r.sums.completed },
  { zh: '按期办结', en: 'On time', kind: 'count', value: (r) => r.sums.on_time },
  { zh: '已作废', en: 'Voided', kind: 'count', value: (r) => r.sums.voided },
  { zh: '超期', en: 'Overdue', kind: 'count', value: (r) => r.sums.overdue },
  { zh: '督办', en: 'Chases', kind: 'count', value: (r) => r.sums.chases },
];

const keyHeader: Record<Exclude<Dimension, 'court'>, { zh: string; en: string }> = {
  operator: { zh: '话务员', en: 'Operator' },
  department: { zh: '部门', en: 'Department' },
  judge: { zh: '承办法官', en: 'Judge' },
  category: { zh: '类别', en: 'Category' },
};

const words = {
  bucket: { zh: '时段', en: 'Period' },
  courtTotal: { zh: '全院合计', en: 'Court total' },
  sliceTotal: { zh: '筛选范围合计', en: 'Total of the selection' },
  none: { zh: '（未指定）', en: '(none)' },
  rollupSaid: { zh: '汇总表原值（不采用）', en: 'Rollups said (not used)' },
  span: { zh: '统计期间', en: 'Span' },
  asOf: { zh: '数据截至（北京时间）', en: 'As of (China time)' },
  check: { zh: '核对', en: 'Check' },
  agrees: { zh: '与原始记录一致', en: 'agrees with the raw rows' },
  notYetDue: { zh: '已办结、未到期', en: 'Closed, not yet due' },
  disagrees: { zh: '汇总表与原始记录不一致，以上为按原始记录重算的数字（{n} 处不一致）', en: 'rollups disagree with the raw rows; the recount is shown ({n} differences)' },
};

/** A cell: text, or a rate kept as a number for XLSX (formatted there as a percentage). */
export type Cell = string | number | { rate: number };

interface Sheet {
  title: string;
  header: string[];
  body: Cell[][];
  /** Label and value lines after the table: the span, the moment and the check. */
  notes: [string, string][];
  rateColumns: number[];
}

/** As the console's card words it: 已办结、未到期 N 件 / N closed, not yet due. */
const notYetDueText = (n: number, lang: 'zh' | 'en') => (lang === 'en' ? `${n} closed, not yet due` : `已办结、未到期 ${n} 件`);

function sheetOf(table: KpiTable, options: ExportOptions): Sheet {
  const lang = options.lang ?? 'zh';
  const w = (word: { zh: string; en: string }) => word[lang];
  const withKey = table.by !== 'court';
  const lead = withKey ? 2 : 1;
  const header = [w(words.bucket), ...(withKey ? [w(keyHeader[table.by as Exclude<Dimension, 'court'>])] : []), ...columns.map(w)];
  const figures = (row: KpiTableRow): Cell[] =>
    columns.map((c) => {
      const v = c.value(row);
      if (v === null) return '';
      return c.kind === 'rate' ? { rate: v } : c.kind === 'duration' ? durationText(v, lang) : v;
    });
  const keyName = (key: string | null) => (key === null ? w(words.none) : (options.names?.get(key) ?? key));
  const whole = spanText(table.from, table.to, lang);
  const line = (label: string, key: string | null | undefined, row: KpiTableRow): Cell[] => [label, ...(withKey ? [key === undefined ? '' : keyName(key)] : []), ...figures(row)];

  const rows = table.rows;
  // A whole-span table of the court has one row, the total itself: it is listed once, as the total.
  const single = table.grain === 'total' && !withKey && rows.length <= 1;
  const body: Cell[][] = single ? [] : rows.map((r) => line(r.bucket === null ? whole : bucketText(r.bucket, table.grain, lang), r.key, r));
  const f = options.filter ?? {};
  const narrowed = Boolean(f.operatorId || f.departmentId || f.judgeId || f.category);
  body.push(line(w(narrowed ? words.sliceTotal : words.courtTotal), undefined, { bucket: null, key: null, ...table.total }));
  if (table.check.rollupTotal) body.push(line(w(words.rollupSaid), undefined, { bucket: null, key: null, sums: table.check.rollupTotal, kpis: deriveKpis(table.check.rollupTotal) }));
  const check = table.check.status === 'agrees' ? w(words.agrees) : w(words.disagrees).replace('{n}', String(table.check.differenceCount));
  return {
    title: lang === 'en' ? `12368 hotline figures, ${whole} (as of ${chinaTime(table.asOf)} China time)` : `12368 热线指标 ${whole}（数据截至北京时间 ${chinaTime(table.asOf)}）`,
    header,
    body,
    notes: [
      [w(words.span), whole],
      [w(words.asOf), chinaTime(table.asOf)],
      [w(words.check), check],
      // The same count the console shows beside the completion rate (null: a span that is over, not computed).
      ...(table.closedNotYetDue === null ? [] : [[w(words.notYetDue), notYetDueText(table.closedNotYetDue, lang)] as [string, string]]),
    ],
    rateColumns: columns.flatMap((c, i) => (c.kind === 'rate' ? [lead + i] : [])),
  };
}

const csvCell = (v: Cell): string => {
  const s = typeof v === 'object' ? percentText(v.rate) : String(v);
  // Cells starting with = + - @ are quoted with a leading apostrophe so spreadsheets do not run them.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese): the table, a blank line, then the span, the moment and the check. */
export function toCsv(table: KpiTable, options: ExportOptions = {}): string {
  const sheet = sheetOf(table, options);
  const lines = [sheet.header, ...sheet.body, [], ...sheet.notes];
  return '\uFEFF' + lines.map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** XLSX: a title line, the table (rates are numbers shown as percentages, so they still sort and sum), then the notes. */
export async function toXlsx(table: KpiTable, options: ExportOptions = {}): Promise<Buffer> {
  // Loaded by the first export, not at start: it costs every hotline process ~27 MB and ~0.2 s, and only this uses it.
  const { default: ExcelJS } = await import('exceljs');
  const sheet = sheetOf(table, options);
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(table.asOf);
  const ws = workbook.addWorksheet('KPI');
  ws.addRow([sheet.title]).font = { bold: true };
  ws.addRow(sheet.header).font = { bold: true };
  for (const line of sheet.body) ws.addRow(line.map((v) => (typeof v === 'object' ? v.rate : v)));
  for (const column of sheet.rateColumns) ws.getColumn(column + 1).numFmt = '0.0%';
  ws.getColumn(1).width = 24;
  ws.addRow([]);
  for (const note of sheet.notes) ws.addRow(note);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
