// The report as one self-contained HTML document: inline CSS and SVG, no scripts, no
// external URLs (it opens offline and prints the same). Every text from the data is escaped.
import type { ReportData, ReportFigures } from '../../../shared/explorer';
import { formatFixed, formatInteger, formatMinorUnits, formatPercent } from '../../../shared/format';
import { escapeHtml as esc, fmtNumber, lineChart } from './svgCharts';

const int = formatInteger;
const pct = (r: number | null) => (r === null ? 'n/a' : formatPercent(r, 2));
const signedPct = (r: number | null) => (r === null ? 'n/a' : formatPercent(r, 1, { sign: true }));
const signedPts = (r: number | null) => (r === null ? 'n/a' : `${formatFixed(r * 100, 2, { sign: true })} pts`);
const money = (minor: number) => formatMinorUnits(minor, { grouping: true });

const CSS = `
*{box-sizing:border-box}
body{font:13px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#111827;margin:0;padding:24px 32px;background:#fff}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px;break-after:avoid}
.meta{color:#4b5563;margin:0 0 12px}
.badge{display:inline-block;border-radius:4px;padding:1px 6px;font-size:11px;background:#eef2ff;color:#3730a3;margin-right:6px}
.badge.warn{background:#fef3c7;color:#92400e}
ul.summary{margin:8px 0 0;padding-left:18px}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;break-inside:auto}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f9fafb;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr{break-inside:avoid}
.figures{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin:8px 0}
.figure{border:1px solid #e5e7eb;border-radius:6px;padding:8px 10px}
.figure .v{font-size:20px;font-weight:600}
.figure .k{color:#4b5563;font-size:11px;text-transform:uppercase;letter-spacing:.04em}
.figure .d{color:#4b5563;font-size:12px}
.charts{display:grid;grid-template-columns:1fr;gap:8px}
svg.chart{max-width:100%;height:auto;break-inside:avoid}
svg .plot{fill:#fff;stroke:#d1d5db}
svg .grid{stroke:#f3f4f6}
svg .tick,svg .legend{font-size:10px;fill:#4b5563}
svg .chart-title{font-size:12px;font-weight:600;fill:#111827}
svg .muted{font-size:12px;fill:#6b7280}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}
pre{white-space:pre-wrap;word-break:break-word;font:11px/1.35 ui-monospace,Menlo,Consolas,monospace;background:#f9fafb;border:1px solid #e5e7eb;padding:8px;border-radius:4px;margin:0}
.notes{white-space:pre-wrap;border-left:3px solid #93c5fd;padding:6px 10px;background:#f8fafc}
.muted{color:#6b7280}
footer{margin-top:32px;color:#6b7280;font-size:11px}
@media print{body{padding:0}h2{break-after:avoid}.figures{grid-template-columns:repeat(4,1fr)}}
`;

function figureBox(key: string, value: string, delta: string): string {
  return `<div class="figure"><div class="k">${esc(key)}</div><div class="v">${esc(value)}</div><div class="d">${esc(delta)}</div></div>`;
}

function typeTable(now: ReportFigures, before: ReportFigures): string {
  const types = [...new Set([...Object.keys(now.byType), ...Object.keys(before.byType)])].sort();
  if (!types.length) return '<p class="muted">No events in either window.</p>';
  const rows = types
    .map((t) => `<tr><td>${esc(t)}</td><td class="n">${int(now.byType[t] ?? 0)}</td><td class="n">${int(before.byType[t] ?? 0)}</td></tr>`)
    .join('');
  return `<table aria-label="Events by type"><thead><tr><th>Type</th><th class="n">This window</th><th class="n">Window before</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function table(label: string, head: string[], rows: (string | number)[][], numeric: boolean[]): string {
  if (!rows.length) return `<p class="muted">None in this window.</p>`;
  const th = head.map((h, i) => `<th${numeric[i] ? ' class="n"' : ''}>${esc(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${esc(typeof c === 'number' ? int(c) : c)}</td>`).join('')}</tr>`)
    .join('');
  return `<table aria-label="${esc(label)}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function alertSection(d: ReportData): string {
  if (!d.alerts.length) return '<p class="muted">No alert fired in this window.</p>';
  return d.alerts
    .map((a) => {
      const events: { at: string; what: string }[] = a.transitions.map((t) => ({ at: t.at, what: `state → ${t.state}` }));
      if (a.acknowledged) events.push({ at: a.acknowledged.at, what: `acknowledged by ${a.acknowledged.by}${a.acknowledged.note ? `: ${a.acknowledged.note}` : ''}` });
      if (a.resolveNote) events.push({ at: a.resolveNote.at, what: `note by ${a.resolveNote.by}: ${a.resolveNote.note}` });
      events.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
      const rows = events.map((e) => `<tr><td>${esc(e.at)}</td><td>${esc(e.what)}</td></tr>`).join('');
      return `<h3 style="font-size:14px;margin:14px 0 4px"><span class="badge${a.severity === 'critical' ? ' warn' : ''}">${esc(a.severity)}</span>${esc(a.rule)}${a.group ? ` <span class="muted">(${esc(a.group)})</span>` : ''}</h3>
<p class="meta">${esc(a.summary)} · fired ${esc(a.firedAt ?? 'never')} · resolved ${esc(a.resolvedAt ?? 'not yet')}${a.peakValue !== null ? ` · peak ${esc(fmtNumber(a.peakValue))}` : ''}</p>
<table aria-label="Alert timeline ${esc(a.rule)}"><thead><tr><th style="width:230px">Time (UTC)</th><th>Event</th></tr></thead><tbody>${rows}</tbody></table>`;
    })
    .join('\n');
}

export function renderReportHtml(d: ReportData): string {
  const t = d.totals;
  const p = d.previous.totals;
  const amounts = Object.entries(t.authorizedAmountByCurrency);
  const amountRows = [...new Set([...amounts.map(([c]) => c), ...Object.keys(p.authorizedAmountByCurrency)])]
    .sort()
    .map((c) => [c || '(none)', money(t.authorizedAmountByCurrency[c] ?? 0), money(p.authorizedAmountByCurrency[c] ?? 0)]);
  const sample = d.sampleEvents.map((e) => JSON.stringify(e)).join('\n');
  const throughputChart = lineChart({ title: 'Throughput by type (events/s)', points: d.series.throughput });
  const declineChart = lineChart({
    title: 'Decline rate',
    points: d.series.declineRate,
    keys: ['declineRate'],
    colors: { declineRate: '#dc2626' },
    yFormat: (v) => formatPercent(v, 0),
  });
  const decisionChart = lineChart({
    title: `Risk decisions (per ${d.series.bucketMs / 1000} s)`,
    points: d.series.riskDecisions,
    colors: { approve: '#16a34a', review: '#d97706', block: '#dc2626' },
  });
  const queueChart = lineChart({ title: 'Queue depth (messages)', points: d.series.queueDepth, empty: 'no queue depth samples in this window' });

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(d.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(d.title)}</h1>
<p class="meta">Window <strong>${esc(d.window.from)}</strong> to <strong>${esc(d.window.to)}</strong> (UTC, half-open) · generated ${esc(d.generatedAt)}${
    d.source.alertKey ? ` · from alert <code>${esc(d.source.alertKey)}</code> with a ${d.source.marginMinutes} min margin` : ''
  }</p>
<p class="meta">${d.masked ? `<span class="badge">masked</span>Sensitive fields masked: ${esc(d.maskFields.join(', '))}` : '<span class="badge warn">unmasked</span>This report contains unmasked data.'}</p>
</header>

<section aria-labelledby="s-summary"><h2 id="s-summary">Summary</h2>
<ul class="summary">${d.summary.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
</section>

<section aria-labelledby="s-figures"><h2 id="s-figures">Key figures</h2>
<p class="meta">Compared with the window of the same length before: ${esc(d.previous.window.from)} to ${esc(d.previous.window.to)}.</p>
<div class="figures">
${figureBox('Events', int(t.events), `before ${int(p.events)} (${signedPct(d.change.events)})`)}
${figureBox('Approval rate', pct(t.approvalRate), `before ${pct(p.approvalRate)} (${signedPts(d.change.approvalRate)})`)}
${figureBox('Decline rate', pct(t.declineRate), `before ${pct(p.declineRate)} (${signedPts(d.change.declineRate)})`)}
${figureBox('Declines', int(t.declined), `before ${int(p.declined)}`)}
${figureBox('Authorized', int(t.authorized), `before ${int(p.authorized)}`)}
${figureBox('Failed', int(t.failed), `before ${int(p.failed)}`)}
${figureBox('Risk blocks', int(t.riskDecisions.block ?? 0), `before ${int(p.riskDecisions.block ?? 0)}`)}
${figureBox('Events / s', formatFixed(t.eventsPerSecond, 2), `before ${formatFixed(p.eventsPerSecond, 2)}`)}
</div>
<div class="cols">
<div>${typeTable(t, p)}</div>
<div>${table('Authorized amount by currency', ['Currency', 'This window', 'Window before'], amountRows, [false, true, true])}</div>
</div>
</section>

<section aria-labelledby="s-charts"><h2 id="s-charts">Charts</h2>
<div class="charts">
${throughputChart}
${declineChart}
${decisionChart}
${queueChart}
</div>
</section>

<section aria-labelledby="s-alerts"><h2 id="s-alerts">Alert timeline</h2>
${alertSection(d)}
</section>

<section aria-labelledby="s-affected"><h2 id="s-affected">Affected</h2>
<div class="cols">
<div><h3 style="font-size:13px">Top merchants</h3>${table('Top merchants', ['Merchant', 'Events', 'Declines'], d.topMerchants.map((m) => [m.merchantId, m.events, m.declines]), [false, true, true])}</div>
<div><h3 style="font-size:13px">Top countries</h3>${table('Top countries', ['Country', 'Events', 'Declines'], d.topCountries.map((m) => [m.country, m.events, m.declines]), [false, true, true])}</div>
<div><h3 style="font-size:13px">Top decline codes</h3>${table('Top decline codes', ['Decline code', 'Declines'], d.topDeclineCodes.map((m) => [m.declineCode, m.events]), [false, true])}</div>
<div><h3 style="font-size:13px">Top card BINs</h3>${table('Top card BINs', ['Card BIN', 'Events', 'Declines'], d.topCardBins.map((m) => [m.cardBin, m.events, m.declines]), [false, true, true])}</div>
</div>
</section>

<section aria-labelledby="s-notes"><h2 id="s-notes">Operator notes</h2>
${d.notes ? `<div class="notes">${esc(d.notes)}</div>` : '<p class="muted">No notes.</p>'}
</section>

<section aria-labelledby="s-sample"><h2 id="s-sample">Sample of events</h2>
<p class="meta">${d.sampleEvents.length} event(s): the newest declines, failures and blocks of the window and its newest events${d.masked ? ', masked' : ''}.</p>
${sample ? `<pre>${esc(sample)}</pre>` : '<p class="muted">No events in this window.</p>'}
</section>

<footer>payops incident report · ${esc(d.window.from)} – ${esc(d.window.to)} · built in ${d.tookMs} ms</footer>
</body>
</html>
`;
}
