// Incident reports: figures from the store, HTML with inline SVG, PDF via Chromium, CSV, JSON.
export { buildReport, resolveWindow, windowFigures, topLists, reportSeries, ReportWindowError, type ReportRequest } from './reportData';
export { renderReportHtml } from './reportHtml';
export { htmlToPdf, findChromium, NoChromiumError } from './reportPdf';
export { runExport, formatFromFile, ExportCancelledError, CSV_COLUMNS, type ExportOptions, type ExportResult } from './reportExport';
export { ExportJobs, type StartExport } from './exportJobs';
export { Masker, DEFAULT_MASK_FIELDS, maskCardBin } from './masking';
export { csvCell, csvLine, neutralizeCell } from './csv';
