/**
 * The report's print stylesheet: the browser's print (and "save as PDF") shows the report alone — no menu, header,
 * buttons, pickers or forms — and keeps each section and table row on one page where it can.
 */
export const printStyle = `
.print-only { display: none; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  .ant-layout-sider, .ant-layout-header, .screen-only, .ant-btn, .ant-message, .ant-notification, .ant-select { display: none !important; }
  .print-only { display: inline !important; }
  .ant-layout, .ant-layout-content { padding: 0 !important; margin: 0 !important; background: #fff !important; }
  .ant-card { border: none !important; box-shadow: none !important; }
  .ant-card-head { padding: 0 !important; min-height: 0 !important; }
  .report-section { break-inside: avoid; page-break-inside: avoid; }
  .report-break { break-before: page; page-break-before: always; }
  h4, h5, .ant-typography h5 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
