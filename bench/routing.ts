// bench:alerts (routing part) — what notification routing costs beside alert evaluation:
// 50 contact points (50 policies with regex matchers, some with continue), 1,000 merchant
// groups, an inhibition rule and a mute timing, fed the notifications of a churning alert
// population: every 10 s of event time, 20 % of the 1,000 merchant alerts change state (fire
// or resolve). That is far more churn than a real incident; the router's cost does not depend
// on the event rate itself (it sees notifications, not events), so at 20,000 events/s its
// share of one core is its CPU time over the event-time span. Side by side in the same run, a
// bare ceiling: the same notifications appended to one list per contact point.
//
// Usage: npm run build:core && node dist/bench/routing.js [--seconds 600] [--merchants 1000] [--json]
import type { AlertNotification } from '../shared/alerts';
import { validateRouting } from '../shared/notificationConfig';
import { NotificationRouter } from '../electron/core/notify/router';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const SECONDS = arg('seconds', 600);
const MERCHANTS = arg('merchants', 1000);
const CONTACT_POINTS = 50;
const JSON_OUT = process.argv.includes('--json');
const START = Date.UTC(2026, 10, 23, 6, 0, 0);

const merchants = Array.from({ length: MERCHANTS }, (_, i) => `m_${String(i).padStart(4, '0')}`);

function routing() {
  const v = validateRouting({
    contactPoints: Array.from({ length: CONTACT_POINTS }, (_, i) => ({ name: `cp${i}`, type: 'webhook', url: `http://127.0.0.1:9/${i}` })),
    // Policy i takes merchants whose number ends in i (two digits mod 50); every fifth also continues.
    policies: Array.from({ length: CONTACT_POINTS }, (_, i) => ({
      contactPoint: `cp${i}`,
      matchers: ['severity=~"critical|warning"', `merchant=~"m_\\d\\d(${String(i).padStart(2, '0')}|${String(i + 50).padStart(2, '0')})"`],
      groupBy: ['alertname', 'merchant'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      continue: i % 5 === 0,
      muteTimings: i === 1 ? ['nightly'] : [],
    })),
    defaultPolicy: { contactPoint: 'cp0', groupBy: ['alertname'] },
    muteTimings: [{ name: 'nightly', timeIntervals: [{ times: [{ start: '02:00', end: '03:00' }] }] }],
    inhibitRules: [{ sourceMatchers: ['alertname=traffic-stopped'], targetMatchers: ['severity=warning'] }],
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.config;
}

/** The notifications of second s: every 10 s, a fifth of the merchants flip (fire or resolve). */
function notificationsAt(s: number, firing: Set<number>): AlertNotification[] {
  if (s % 10 !== 0) return [];
  const out: AlertNotification[] = [];
  const at = START + s * 1000;
  for (let k = 0; k < MERCHANTS / 5; k++) {
    const m = ((s / 10) * 37 + k * 5) % MERCHANTS;
    const kind = firing.has(m) ? 'resolved' : 'firing';
    if (kind === 'firing') firing.add(m);
    else firing.delete(m);
    out.push({ kind, rule: 'decline-rate-spike', severity: m % 3 ? 'critical' : 'warning', labels: { merchant: merchants[m] }, value: 0.3, summary: 'x', at });
  }
  return out;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function runRouter() {
  const router = new NotificationRouter(routing());
  const firing = new Set<number>();
  let cpu = 0;
  let notifications = 0;
  let dispatches = 0;
  let suppressions = 0;
  let maxGroups = 0;
  for (let s = 0; s < SECONDS; s++) {
    const notes = notificationsAt(s, firing);
    notifications += notes.length;
    const c0 = cpuMs();
    for (const n of notes) {
      const r = router.observe(n);
      dispatches += r.dispatches.length;
      suppressions += r.suppressions.length;
    }
    const r = router.advanceTo(START + (s + 1) * 1000);
    cpu += cpuMs() - c0;
    dispatches += r.dispatches.length;
    suppressions += r.suppressions.length;
    maxGroups = Math.max(maxGroups, router.groupCount);
  }
  return { cpu, notifications, dispatches, suppressions, maxGroups };
}

function runBare() {
  const lists = new Map<string, AlertNotification[]>();
  const firing = new Set<number>();
  let cpu = 0;
  for (let s = 0; s < SECONDS; s++) {
    const notes = notificationsAt(s, firing);
    const c0 = cpuMs();
    for (const n of notes) {
      const cp = `cp${Number(n.labels.merchant.slice(-2)) % CONTACT_POINTS}`;
      let list = lists.get(cp);
      if (!list) lists.set(cp, (list = []));
      list.push(n);
      if (list.length > 1000) list.length = 0;
    }
    cpu += cpuMs() - c0;
  }
  return { cpu };
}

function main(): void {
  const router = runRouter();
  const bare = runBare();
  const share = (cpu: number) => (100 * cpu) / (SECONDS * 1000);
  const result = {
    contactPoints: CONTACT_POINTS,
    merchantGroups: MERCHANTS,
    eventTimeSeconds: SECONDS,
    notifications: router.notifications,
    dispatches: router.dispatches,
    suppressions: router.suppressions,
    maxGroups: router.maxGroups,
    router: { cpuMs: Math.round(router.cpu), coreSharePct: +share(router.cpu).toFixed(3), usPerNotification: +((router.cpu * 1000) / router.notifications).toFixed(1) },
    bare: { cpuMs: Math.round(bare.cpu), coreSharePct: +share(bare.cpu).toFixed(3) },
    ratio: +(router.cpu / Math.max(1e-9, bare.cpu)).toFixed(1),
    goalPct: 1,
    withinGoal: share(router.cpu) < 1,
    node: process.version,
  };
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const lines = [
    `notification routing: ${CONTACT_POINTS} contact points, ${MERCHANTS} merchant groups, ${result.notifications} notifications over ${SECONDS} s of event time`,
    `                      CPU ms   share of one core`,
    `  router           ${String(result.router.cpuMs).padStart(8)}   ${`${result.router.coreSharePct.toFixed(3)} %`.padStart(17)}   (${result.router.usPerNotification} us/notification)`,
    `  bare lists       ${String(result.bare.cpuMs).padStart(8)}   ${`${result.bare.coreSharePct.toFixed(3)} %`.padStart(17)}`,
    `  ratio router / bare: ${result.ratio}x; goal < ${result.goalPct} % of one core at any event rate: ${result.withinGoal ? 'met' : 'NOT met'}`,
    `  (${result.dispatches} messages, ${result.suppressions} muted/inhibited, up to ${result.maxGroups} groups)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(result)}\n`);
}

main();
