// The report as one self-contained HTML document: inline CSS and SVG, no scripts, nothing
// loaded from an external URL (it opens offline and prints the same; the alerts' runbooks are
// links, written out in full). Every text from the data is escaped.
// Money in each currency's own minor units (shared/currencies.ts), decline codes with their
// meaning (shared/declineCodes.ts), severities in the console's colours (shared/severity.ts),
// and tables, never raw JSON, where a table belongs.
import { countText } from '../../../shared/countText';
import { formatNamedMetricValue } from '../../../shared/alertValueFormat';
import type { ReportData, ReportFigures, ReportTimelineEntry } from '../../../shared/explorer';
import { declineCodeInfo } from '../../../shared/declineCodes';
import { formatDateTime, formatFixed, formatInteger, formatMoney, formatMoneyAmount, formatNumber, formatPercent } from '../../../shared/format';
import { runbookHref } from '../../../shared/runbookLink';
import { SEVERITIES, severityColor } from '../../../shared/severity';
import { filterSentenceParts } from './reportFilter';
import { summarySentences } from './reportData';
import { rtlRunsApart, type Sentence } from './sentence';
import { escapeHtml as esc, fmtNumber, lineChart } from './svgCharts';
import { bucketText } from './topListRanking';

const int = formatInteger;
const pct = (r: number | null) => (r === null ? 'n/a' : formatPercent(r, 2));
const signedPct = (r: number | null) => (r === null ? 'n/a' : formatPercent(r, 1, { sign: true }));
const signedPts = (r: number | null) => (r === null ? 'n/a' : `${formatFixed(r * 100, 2, { sign: true })} pts`);
/** An amount in its own currency's decimals; '' (no currency) is shown as what it is. */
/** A total past 2^53 minor units is the nearest double, not the exact sum: "about ...". */
const money = (minor: number, currency: string) =>
  `${Number.isSafeInteger(minor) ? '' : 'about '}${currency ? formatMoneyAmount(minor, currency) : formatMoney(minor, null)}`;

// Severity badges in the console's colours (the report prints on white: the light theme's).
const SEVERITY_CSS = SEVERITIES.map((sev) => {
  const c = severityColor(sev, 'light');
  return `.sev-${sev}{background:${c.bg};color:${c.fg};border:1px solid ${c.fg}}`;
}).join('\n');

const CSS = `
*{box-sizing:border-box}
body{font:13px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#111827;margin:0;padding:24px 32px;background:#fff}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px;break-after:avoid}
.meta{color:#4b5563;margin:0 0 12px}
.badge{display:inline-block;border-radius:4px;padding:1px 6px;font-size:11px;background:#eef2ff;color:#3730a3;margin-right:6px}
.badge.warn{background:#fef3c7;color:#92400e}
.badge.soft{background:#eff6ff;color:#1d4ed8}
.badge.hard{background:#fef2f2;color:#b91c1c}
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
div.runbook{overflow-wrap:anywhere}
td.mono{font:11px/1.35 ui-monospace,Menlo,Consolas,monospace}
.nw{white-space:nowrap}
@media print{body{padding:0}h2{break-after:avoid}.figures{grid-template-columns:repeat(4,1fr)}}
`;

/**
 * A value from the events, isolated (<bdi>): in a right-to-left script it is ordered inside itself
 * and the figures and brackets beside it stay where the sentence put them (sentence.ts).
 */
const bdi = (text: string): string => `<bdi>${esc(text)}</bdi>`;
/** A sentence of the report's own words (escaped) and values (isolated). */
const sentenceHtml = (s: Sentence): string => s.map((p) => (typeof p === 'string' ? esc(p) : bdi(p.value))).join('');
/** Free text whose values the report cannot name: its right-to-left runs isolated. */
const freeText = (text: string): string => sentenceHtml(rtlRunsApart(text));

/**
 * Events per second: two decimals from 1 on, three significant digits below it, so a quiet
 * window's rate (21 events in 24 h: 0.000243) never reads "0.00", as a window without events does.
 */
function rateText(v: number): string {
  if (v === 0 || !Number.isFinite(v) || Math.abs(v) >= 1) return formatFixed(v, 2, { grouping: true });
  return formatNumber(v, Math.min(20, 2 - Math.floor(Math.log10(Math.abs(v)))));
}

function figureBox(key: string, value: string, delta: string): string {
  return `<div class="figure"><div class="k">${esc(key)}</div><div class="v">${esc(value)}</div><div class="d">${esc(delta)}</div></div>`;
}

function typeTable(now: ReportFigures, before: ReportFigures): string {
  const types = [...new Set([...Object.keys(now.byType), ...Object.keys(before.byType)])].sort();
  if (!types.length) return '<p class="muted">No events in either window.</p>';
  const rows = types
    .map((t) => `<tr><td>${bdi(t)}</td><td class="n">${int(now.byType[t] ?? 0)}</td><td class="n">${int(before.byType[t] ?? 0)}</td></tr>`)
    .join('');
  return `<table aria-label="Events by type"><thead><tr><th>Type</th><th class="n">This window</th><th class="n">Window before</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A table of values: each text cell isolated, a Sentence cell's values isolated, counts grouped. */
function table(label: string, head: string[], rows: (string | number | Sentence)[][], numeric: boolean[]): string {
  if (!rows.length) return `<p class="muted">None in this window.</p>`;
  const th = head.map((h, i) => `<th${numeric[i] ? ' class="n"' : ''}>${esc(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${typeof c === 'number' ? esc(int(c)) : typeof c === 'string' ? (numeric[i] ? esc(c) : bdi(c)) : sentenceHtml(c)}</td>`).join('')}</tr>`)
    .join('');
  return `<table aria-label="${esc(label)}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/** An ISO time as "2026-12-02 11:31:20" (UTC), for table cells (the ISO form wraps badly). */
const utc = (isoText: string | null | undefined, none = ''): string => {
  if (!isoText) return none;
  const ms = Date.parse(isoText);
  return Number.isFinite(ms) ? formatDateTime(ms, 'UTC') : isoText;
};

const sevBadge = (severity: string) => `<span class="badge sev-${esc(severity)}">${esc(severity)}</span>`;

/**
 * An alert's runbook: an http(s) one as a link that also shows the URL (a printed report cannot
 * be clicked), a relative docs path as text. Checked again here: nothing but an http(s) URL the
 * rules schema takes is ever an href.
 */
function runbookHtml(url: string | undefined): string {
  if (!url) return '';
  const href = runbookHref(url);
  return `<div class="runbook">Runbook: ${href === null ? `<code>${bdi(url)}</code>` : `<a href="${esc(href)}" rel="noopener noreferrer">${esc(href)}</a>`}</div>`;
}

function alertSection(d: ReportData): string {
  if (!d.alertCounts.total && !d.alerts.length) return '<p class="muted">No alert fired in this window.</p>';
  const counts = SEVERITIES.filter((s) => d.alertCounts.bySeverity[s]).map((s) => `${sevBadge(s)}${int(d.alertCounts.bySeverity[s])}`).join(' ');
  const omitted = d.alertCounts.total - d.alerts.filter((a) => a.firedAt !== null).length;
  const rows = d.alerts
    .map(
      (a) =>
        `<tr><td>${sevBadge(a.severity)}</td><td class="nw">${bdi(a.rule)}</td><td>${bdi(a.group)}</td><td class="nw">${esc(utc(a.firedAt, 'not fired'))}</td><td class="nw">${esc(utc(a.resolvedAt, 'not yet'))}</td><td class="n">${a.peakValue !== null ? esc(formatNamedMetricValue(a.metric, a.peakValue) ?? fmtNumber(a.peakValue)) : ''}</td><td>${a.acknowledged ? `${bdi(a.acknowledged.by)} at ${esc(utc(a.acknowledged.at))}` : ''}</td><td>${freeText(a.summary)}${a.description ? `<div class="muted">${freeText(a.description)}</div>` : ''}${runbookHtml(a.runbookUrl)}</td></tr>`,
    )
    .join('');
  return `<p class="meta">${countText(d.alertCounts.total, 'alert', undefined, int)} firing in the window: ${counts}${omitted > 0 ? ` (the ${int(omitted)} not listed below are counted here)` : ''}</p>
<table aria-label="Alerts"><thead><tr><th>Severity</th><th>Rule</th><th>Group</th><th>Fired (UTC)</th><th>Resolved (UTC)</th><th class="n">Peak</th><th>Acknowledged</th><th>Summary</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const TIMELINE_WHAT: Record<ReportTimelineEntry['kind'], string> = {
  pending: 'pending',
  firing: 'firing',
  resolved: 'resolved',
  state: 'state',
  acknowledged: 'acknowledged',
  note: 'note',
  silenced: 'silenced',
  'silence-ended': 'silence ended',
};

function timelineSection(d: ReportData): string {
  if (!d.timeline.length) return '<p class="muted">Nothing happened to an alert or a silence in this window.</p>';
  const rows = d.timeline
    .map(
      (e) =>
        `<tr data-kind="${esc(e.kind)}"><td class="nw">${esc(utc(e.at))}</td><td class="nw">${esc(TIMELINE_WHAT[e.kind])}</td><td>${e.severity ? sevBadge(e.severity) : ''}${e.rule === null ? 'silence' : bdi(e.rule)}${e.group ? ` <span class="muted">(${bdi(e.group)})</span>` : ''}</td><td>${e.by ? bdi(e.by) : ''}</td><td>${freeText(e.text)}</td></tr>`,
    )
    .join('');
  return `<table aria-label="Incident timeline"><thead><tr><th>Time (UTC)</th><th>What</th><th>Alert or silence</th><th>By</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function declineCodeTable(d: ReportData): string {
  if (!d.topDeclineCodes.length) return '<p class="muted">None in this window.</p>';
  const rows = d.topDeclineCodes
    .map((c) => `<tr><td class="mono">${bdi(c.declineCode)}</td><td>${esc(c.meaning)}</td><td><span class="badge ${c.kind}">${c.kind}</span></td><td class="n">${int(c.events)}</td></tr>`)
    .join('');
  return `<table aria-label="Top decline codes"><thead><tr><th>Code</th><th>Meaning</th><th>Kind</th><th class="n">Declines</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The sample of events as a table of their fields (the JSON export keeps them whole). */
function sampleTable(d: ReportData): string {
  if (!d.sampleEvents.length) return '<p class="muted">No events in this window.</p>';
  const text = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  const rows = d.sampleEvents
    .map((e) => {
      const data = e.data && typeof e.data === 'object' && !Array.isArray(e.data) ? (e.data as Record<string, unknown>) : {};
      const amount = typeof data.amount === 'number' ? formatMoney(data.amount, typeof data.currency === 'string' ? data.currency : null) : '';
      const code = typeof data.declineCode === 'string' ? data.declineCode : null;
      const risk = data.decision !== undefined ? `${text(data.decision)}${data.score !== undefined ? ` (${text(data.score)})` : ''}` : '';
      const outcome = code ? `${bdi(code)} ${esc(declineCodeInfo(code).meaning)}` : risk ? bdi(risk) : freeText(text(data.reason));
      const cell = (v: unknown) => (text(v) === '' ? '' : bdi(text(v)));
      return `<tr><td class="nw">${esc(utc(typeof e.time === 'string' ? e.time : null))}</td><td class="nw">${cell(e.type)}</td><td class="mono">${cell(data.paymentId)}</td><td class="mono">${cell(data.merchantId)}</td><td class="n nw">${amount ? bdi(amount) : ''}</td><td>${cell(data.country)}</td><td class="mono">${cell(data.cardBin)}</td><td>${outcome}</td></tr>`;
    })
    .join('');
  return `<table aria-label="Sample of events"><thead><tr><th>Time (UTC)</th><th>Type</th><th>Payment</th><th>Merchant</th><th class="n">Amount</th><th>Country</th><th>BIN</th><th>Decline / risk</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderReportHtml(d: ReportData): string {
  const t = d.totals;
  const p = d.previous.totals;
  const amounts = Object.entries(t.authorizedAmountByCurrency);
  const amountRows = [...new Set([...amounts.map(([c]) => c), ...Object.keys(p.authorizedAmountByCurrency)])]
    .sort()
    .map((c) => [c || '(no currency)', money(t.authorizedAmountByCurrency[c] ?? 0, c), money(p.authorizedAmountByCurrency[c] ?? 0, c)]);
  const scored = (f: ReportFigures) => Object.values(f.riskDecisions).reduce((x, y) => x + y, 0);
  const decisionRows = ['approve', 'review', 'block']
    .filter((k) => t.riskDecisions[k] !== undefined || p.riskDecisions[k] !== undefined)
    .map((k) => [k, t.riskDecisions[k] ?? 0, p.riskDecisions[k] ?? 0]);
  const throughputChart = lineChart({ title: 'Throughput by type (events/s)', points: d.series.throughput });
  const declineChart = lineChart({
    title: 'Decline rate',
    points: d.series.declineRate,
    keys: ['declineRate'],
    colors: { declineRate: '#dc2626' },
    yFormat: (v) => formatPercent(v, 0),
  });
  const decisionChart = lineChart({
    title: `Risk decisions (per ${bucketText(d.series.bucketMs)})`,
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
<style>${CSS}${SEVERITY_CSS}</style>
</head>
<body>
<header>
<h1>${freeText(d.title)}</h1>
<p class="meta">Window <strong class="nw">${esc(d.window.from)}</strong> to <strong class="nw">${esc(d.window.to)}</strong> (UTC, half-open) · generated <span class="nw">${esc(d.generatedAt)}</span>${
    d.source.alertKey ? ` · from alert <code>${bdi(d.source.alertKey)}</code> with a ${d.source.marginMinutes} min margin` : ''
  }</p>
${d.filter ? `<p class="meta"><span class="badge warn">filtered</span>${sentenceHtml(filterSentenceParts(d.filter))}</p>\n` : ''}<p class="meta">${d.masked ? `<span class="badge">masked</span>Sensitive fields masked: ${d.maskFields.map(bdi).join(', ')}` : '<span class="badge warn">unmasked</span>This report contains unmasked data.'}</p>
</header>

<section aria-labelledby="s-summary"><h2 id="s-summary">Summary</h2>
<ul class="summary">${summarySentences(d).map((l) => `<li>${sentenceHtml(l)}</li>`).join('')}</ul>
</section>

<section aria-labelledby="s-figures"><h2 id="s-figures">Key figures</h2>
<p class="meta">Compared with the window of the same length before: ${esc(d.previous.window.from)} to ${esc(d.previous.window.to)}.</p>
<div class="figures">
${figureBox('Events', int(t.events), `before ${int(p.events)} (${signedPct(d.change.events)})`)}
${figureBox('Approval rate per attempt', pct(t.approvalRate), `before ${pct(p.approvalRate)} (${signedPts(d.change.approvalRate)})`)}
${figureBox('Approval rate per payment', pct(t.paymentApprovalRate), `${countText(t.payments, 'payment', undefined, int)}, retries counted once; before ${pct(p.paymentApprovalRate)}`)}
${figureBox('Decline rate', pct(t.declineRate), `before ${pct(p.declineRate)} (${signedPts(d.change.declineRate)})`)}
${figureBox('Declines', int(t.declined), `before ${int(p.declined)}`)}
${figureBox('Authorized', int(t.authorized), `before ${int(p.authorized)}`)}
${figureBox('Failed', int(t.failed), `before ${int(p.failed)}`)}
${figureBox('Soft / hard declines', `${int(t.softDeclines)} / ${int(t.hardDeclines)}`, `before ${int(p.softDeclines)} / ${int(p.hardDeclines)}`)}
${figureBox('Risk blocks', int(t.riskDecisions.block ?? 0), `of ${int(scored(t))} scored; before ${int(p.riskDecisions.block ?? 0)}`)}
${figureBox('Events / s', rateText(t.eventsPerSecond), `before ${rateText(p.eventsPerSecond)}`)}
${figureBox('Alerts firing', int(d.alertCounts.total), SEVERITIES.filter((s) => d.alertCounts.bySeverity[s]).map((s) => `${int(d.alertCounts.bySeverity[s])} ${s}`).join(', ') || 'none')}
</div>
<div class="cols">
<div>${typeTable(t, p)}</div>
<div>${table('Authorized amount by currency', ['Currency', 'This window', 'Window before'], amountRows, [false, true, true])}
<p class="meta">Each currency in its own units (ISO 4217 decimals); amounts in different currencies are never added together.</p>
${table('Risk decisions', ['Decision (risk.scored)', 'This window', 'Window before'], decisionRows, [false, true, true])}</div>
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

${explanationSection(d)}
<section aria-labelledby="s-alerts"><h2 id="s-alerts">Alerts</h2>
${alertSection(d)}
</section>

<section aria-labelledby="s-timeline"><h2 id="s-timeline">Incident timeline</h2>
<p class="meta">Alert states, acknowledgements, operator notes and silences, in time order.</p>
${timelineSection(d)}
</section>

${redriveSection(d)}
<section aria-labelledby="s-affected"><h2 id="s-affected">Affected</h2>
<div class="cols">
<div><h3 style="font-size:13px">Top merchants</h3>${table('Top merchants', ['Merchant', 'Events', 'Declines'], d.topMerchants.map((m) => [m.merchantId, m.events, m.declines]), [false, true, true])}</div>
<div><h3 style="font-size:13px">Top countries</h3>${table('Top countries', ['Country', 'Events', 'Declines'], d.topCountries.map((m) => [m.country, m.events, m.declines]), [false, true, true])}</div>
<div><h3 style="font-size:13px">Top decline codes</h3>${declineCodeTable(d)}</div>
<div><h3 style="font-size:13px">Top card BINs</h3>${table('Top card BINs', ['Card BIN', 'Events', 'Declines'], d.topCardBins.map((m) => [m.cardBin, m.events, m.declines]), [false, true, true])}</div>
</div>
</section>

<section aria-labelledby="s-notes"><h2 id="s-notes">Operator notes</h2>
${d.notes ? `<div class="notes">${freeText(d.notes)}</div>` : '<p class="muted">No notes.</p>'}
</section>

<section aria-labelledby="s-sample"><h2 id="s-sample">Sample of events</h2>
<p class="meta">${countText(d.sampleEvents.length, 'event')}: the newest declines, failures and blocks of the window and its newest events${d.masked ? ', masked' : ''} (the JSON export has them whole).</p>
${sampleTable(d)}
</section>

<footer>payops incident report · ${esc(d.window.from)} – ${esc(d.window.to)} · built in ${d.tookMs} ms</footer>
</body>
</html>
`;
}

/** Where and why (issue 13): the explanation's headline and its significant contributors. */
function explanationSection(d: ReportData): string {
  const e = d.explanation;
  if (!e) return '';
  const body = e.contributors.map((c) => [
    [`${c.dimension} `, { value: c.value }] as Sentence,
    `${pct(c.baseline.value)} → ${pct(c.window.value)}`,
    signedPts(c.contribution),
    c.shareOfChange === null ? 'n/a' : formatPercent(c.shareOfChange, 0),
    c.effect,
  ]);
  return `<section aria-labelledby="s-explanation"><h2 id="s-explanation">Where and why</h2>
<p class="meta">${freeText(e.headline)}. Window ${esc(e.window.from)} – ${esc(e.window.to)} (${countText(e.window.attempts, 'attempt', undefined, int)}) against ${esc(e.baseline.from)} – ${esc(e.baseline.to)} (${int(e.baseline.attempts)}); ${esc(e.metric)} per attempt. Effect: "rate" when the segment's own rate changed, "mix" when its share of traffic did.</p>
${e.contributors.length ? table('Contributors', ['Segment', 'Before → after', 'Contribution', 'Share of the change', 'Effect'], body, [false, false, true, true, false]) : '<p class="muted">No segment explains the change significantly.</p>'}
</section>
`;
}

/** Dead-letter redrives of the window (issue 15's audit log); nothing when there were none. */
function redriveSection(d: ReportData): string {
  const rows = d.redrives ?? [];
  if (rows.length === 0) return '';
  const body = rows.map((r) => [new Date(r.at).toISOString().slice(0, 19) + 'Z', r.actor, r.messageId, r.fromQueue, r.toExchange === null ? '-' : `${r.toExchange || '(default)'} / ${r.toRoutingKey ?? ''}`, r.step, r.detail ?? '']);
  return `<section aria-labelledby="s-redrives"><h2 id="s-redrives">Dead-letter redrives</h2>
<p class="meta">Every step of every redrive in the window, from the audit log: a message "publishing" without "confirmed" may have been sent twice.</p>
${table('Dead-letter redrives', ['Time (UTC)', 'Who', 'Message', 'From', 'To', 'Step', 'Detail'], body, [false, false, false, false, false, false, false])}
</section>
`;
}
