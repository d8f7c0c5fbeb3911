import { deriveKpis } from './kpis.ts';
import type { KpiTable, KpiTableRow } from './table.ts';

/** The columns of an exported KPI table: the published figures first, then the counts they come from. */
const columns: { header: string; value: (r: KpiTableRow) => number | string | null }[] = [
  { header: '时段 bucket', value: (r) => r.bucket ?? '合计 total' },
  { header: '维度 key', value: (r) => r.key ?? '' },
  { header: '接通率 connection rate', value: (r) => r.kpis.connectionRate.combined },
  { header: '接通率(原始) connection rate raw', value: (r) => r.kpis.connectionRate.combinedRaw },
  { header: '来电接通率 inbound', value: (r) => r.kpis.connectionRate.inbound },
  { header: '转接接通率 transfer', value: (r) => r.kpis.connectionRate.transfer },
  { header: '工单办理率 completion rate', value: (r) => r.kpis.completionRate },
  { header: '按期办理率 on-time rate', value: (r) => r.kpis.onTimeRate },
  { header: '得分 score', value: (r) => r.kpis.score },
  { header: '服务水平 service level', value: (r) => r.kpis.serviceLevel },
  { header: '平均应答(秒) ASA s', value: (r) => r.kpis.averageSpeedOfAnswerSeconds },
  { header: '放弃率 abandon rate', value: (r) => r.kpis.abandonRate },
  { header: '放弃率(原始) abandon rate raw', value: (r) => r.kpis.abandonRateRaw },
  { header: '平均处理(秒) AHT s', value: (r) => r.kpis.averageHandleTimeSeconds },
  { header: '登记率 registration rate', value: (r) => r.kpis.registrationRate },
  { header: '回访率 callback rate', value: (r) => r.kpis.callbackRate },
  { header: '满意率 satisfaction rate', value: (r) => r.kpis.satisfactionRate },
  { header: '来电 calls', value: (r) => r.sums.calls },
  { header: '呼入请求 offered', value: (r) => r.sums.offered },
  { header: '接听 answered', value: (r) => r.sums.answered },
  { header: '转接 transfer attempts', value: (r) => r.sums.transfer_attempts },
  { header: '转接接通 transfers connected', value: (r) => r.sums.transfers_connected },
  { header: '放弃 abandoned', value: (r) => r.sums.abandoned },
  { header: '短时放弃 short abandons', value: (r) => r.sums.abandoned_short },
  { header: '工单 tickets', value: (r) => r.sums.tickets },
  { header: '当场答复 on the spot', value: (r) => r.sums.on_spot },
  { header: '应办 due', value: (r) => r.sums.due },
  { header: '办结 completed', value: (r) => r.sums.completed },
  { header: '按期 on time', value: (r) => r.sums.on_time },
  { header: '作废 voided', value: (r) => r.sums.voided },
  { header: '超期 overdue', value: (r) => r.sums.overdue },
  { header: '督办 chases', value: (r) => r.sums.chases },
];

function allRows(table: KpiTable): KpiTableRow[] {
  return [...table.rows, { bucket: null, key: null, ...table.total }];
}

/** The check against the raw rows, in every exported row: the file never shows a figure silently. */
const checkHeader = '核对 check';
const checkCell = (table: KpiTable) =>
  table.check.status === 'agrees' ? '与原始记录一致 agrees with the raw rows' : `汇总表与原始记录不一致，显示重算值 rollups disagree with the raw rows; recount shown (${table.check.differenceCount})`;

/** Lines of the export: header, rows, total, and when the rollups disagree what they said (marked, never as a figure). */
function lines(table: KpiTable): (number | string | null)[][] {
  const out: (number | string | null)[][] = [[...columns.map((c) => c.header), checkHeader]];
  for (const row of allRows(table)) out.push([...columns.map((c) => c.value(row)), checkCell(table)]);
  if (table.check.rollupTotal) {
    const said = { bucket: '汇总表原值(不采用) rollups said (not used)', key: null, sums: table.check.rollupTotal, kpis: deriveKpis(table.check.rollupTotal) };
    out.push([...columns.map((c) => c.value(said)), checkCell(table)]);
  }
  return out;
}

const csvCell = (v: number | string | null): string => {
  if (v === null) return '';
  const s = String(v);
  // Cells starting with = + - @ are quoted with a leading apostrophe so spreadsheets do not run them.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese headers). */
export function toCsv(table: KpiTable): string {
  return '\uFEFF' + lines(table).map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export async function toXlsx(table: KpiTable): Promise<Buffer> {
  // Loaded by the first export, not at start: it costs every hotline process ~27 MB and ~0.2 s, and only this uses it.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(table.asOf);
  const sheet = workbook.addWorksheet('KPI');
  sheet.addRow([`12368 热线指标 ${table.from} — ${table.to}（截至 ${table.asOf}）`]);
  const [header, ...body] = lines(table);
  sheet.addRow(header!).font = { bold: true };
  for (const line of body) sheet.addRow(line);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
