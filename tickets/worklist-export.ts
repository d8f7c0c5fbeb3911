import type { Stage } from './vocabulary.ts';
import type { WorklistRow } from './worklist-query.ts';

/** The work list as a file a person reads: names, China time, stage names in Chinese, one header row. */

const stageZh: Record<Stage, string> = { answer: '接听', handoff: '交办', chase: '督办', feedback: '反馈', callback: '回访', closed: '已办结', void: '已作废' };

/** "2026-12-06 14:05" in China time (UTC+8, no daylight saving); empty when there is none. */
export function chinaTime(at: Date | null): string {
  if (!at) return '';
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

type Cell = string | number;
const columns: { header: string; width: number; value: (r: WorklistRow) => Cell }[] = [
  { header: '工单编号', width: 22, value: (r) => r.number },
  { header: '环节', width: 8, value: (r) => stageZh[r.stage] },
  { header: '是否超期', width: 8, value: (r) => (r.overdue ? '超期' : '') },
  { header: '类别', width: 14, value: (r) => r.categoryName ?? r.category },
  { header: '摘要', width: 40, value: (r) => r.summary },
  { header: '来电号码', width: 14, value: (r) => r.callerNumber ?? '' },
  { header: '案号', width: 26, value: (r) => r.caseNumber ?? '' },
  { header: '首问负责人', width: 12, value: (r) => r.ownerName ?? '' },
  { header: '承办人', width: 12, value: (r) => r.handlerName ?? '' },
  { header: '承办部门', width: 14, value: (r) => r.departmentName ?? '' },
  { header: '办理期限（北京时间）', width: 18, value: (r) => chinaTime(r.deadline) },
  { header: '登记时间（北京时间）', width: 18, value: (r) => chinaTime(r.createdAt) },
  { header: '更新时间（北京时间）', width: 18, value: (r) => chinaTime(r.updatedAt) },
  { header: '保密', width: 6, value: (r) => (r.confidential ? '保密' : '') },
];

export const worklistExportHeader = columns.map((c) => c.header);

const lines = (rows: WorklistRow[]): Cell[][] => [worklistExportHeader, ...rows.map((r) => columns.map((c) => c.value(r)))];

/** Cells starting with = + - @ get a leading apostrophe so a spreadsheet does not run them as formulas. */
const defused = (v: Cell): Cell => (typeof v === 'string' && /^[=+\-@]/.test(v) ? `'${v}` : v);

/** CSV, UTF-8 with a BOM so spreadsheet programs read the Chinese. */
export function worklistCsv(rows: WorklistRow[]): string {
  const cell = (v: Cell) => {
    const s = String(defused(v));
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return '\uFEFF' + lines(rows).map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** XLSX: one sheet 工单列表, a bold frozen header row, a note row when the list was cut at the cap. */
export async function worklistXlsx(rows: WorklistRow[], o: { exportedAt: Date; capped: boolean; cap: number }): Promise<Buffer> {
  // Loaded by the first export, not at start (as kpi/export.ts does): only this uses it.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.created = o.exportedAt;
  const sheet = workbook.addWorksheet('工单列表', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ width: c.width }));
  const [header, ...body] = lines(rows);
  sheet.addRow(header).font = { bold: true };
  for (const line of body) sheet.addRow(line.map(defused));
  if (o.capped) sheet.addRow([`仅导出前 ${o.cap} 条，请缩小筛选范围 / only the first ${o.cap} tickets are exported: narrow the filters`]);
  sheet.addRow([`导出时间（北京时间）${chinaTime(o.exportedAt)}`]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
