// Desktop/browser notifications and an optional alert sound. Permission is only ever
// requested from a user's click (requestNotifications), never on load.
import type { AlertNotification } from '../../../shared/alerts';
import { runbookHost } from '../../../shared/runbookLink';
import { alertHash } from '../store/alerts';
import { fmtAlertValue, fmtLabels } from './format';
import { alertSentenceValues, sentencePlainText } from './sentenceParts';

export type NotifyPermission = 'unsupported' | 'default' | 'granted' | 'denied';

export function notificationPermission(): NotifyPermission {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission as NotifyPermission;
}

/** Call from a click handler only. */
export async function requestNotifications(): Promise<NotifyPermission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission as NotifyPermission;
  try {
    return (await Notification.requestPermission()) as NotifyPermission;
  } catch {
    return notificationPermission();
  }
}

export function notificationTitle(n: AlertNotification): string {
  return `${n.kind === 'firing' ? 'FIRING' : 'RESOLVED'} [${n.severity}] ${n.rule}`;
}

export function notificationBody(n: AlertNotification): string {
  const parts = [sentencePlainText(n.summary, alertSentenceValues(n))];
  const labels = fmtLabels(n.labels);
  if (labels) parts.push(labels);
  if (n.value !== null && n.value !== undefined && Number.isFinite(n.value)) parts.push(`value ${fmtAlertValue(n.value, n.metric)}`);
  // Its host only: a notification offers no link to press (its click opens the alert in the
  // Alerts view, beside its Runbook link), and a URL's path or query may hold a token.
  const runbook = runbookHost(n.runbookUrl);
  if (runbook) parts.push(`Runbook: ${runbook}`);
  return parts.filter(Boolean).join('\n');
}

/** Where a click on the notification of `n` goes: its alert, or the Alerts view when it names none. */
export function notificationTarget(n: Pick<AlertNotification, 'key'>): string {
  return typeof n.key === 'string' && n.key !== '' ? alertHash(n.key) : '#/alerts';
}

/** `onOpen`: told of each click (the route may already be the alert's: it is scrolled to again). */
export function showNotification(n: AlertNotification, onOpen: () => void = () => undefined): void {
  if (notificationPermission() !== 'granted') return;
  try {
    const notification = new Notification(notificationTitle(n), {
      body: notificationBody(n),
      tag: `${n.rule}|${fmtLabels(n.labels)}`,
      silent: true,
    });
    // Opens the alert itself (the Alerts view, its row selected), as the desktop's click does.
    const target = notificationTarget(n);
    notification.onclick = () => {
      window.focus();
      onOpen();
      if (location.hash !== target) location.hash = target;
      notification.close();
    };
  } catch {
    // some environments expose Notification but refuse construction (e.g. needing a service worker)
  }
}

let audio: AudioContext | null = null;

/** A short two-tone beep (higher for firing). Needs a prior user gesture to unlock audio. */
export function playAlertSound(kind: AlertNotification['kind'], severity: AlertNotification['severity']): void {
  try {
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    audio ??= new Ctor();
    if (audio.state === 'suspended') void audio.resume();
    const ctx = audio;
    const tones = kind === 'firing' ? (severity === 'critical' ? [880, 660, 880] : [740, 880]) : [660, 440];
    let t = ctx.currentTime;
    for (const freq of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.15, t + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.16);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.18);
      t += 0.2;
    }
  } catch {
    // audio unavailable
  }
}

/** Unlocks audio from a click so later alert sounds can play. */
export function primeAudio(): void {
  try {
    const Ctor = window.AudioContext;
    if (!Ctor) return;
    audio ??= new Ctor();
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    // ignore
  }
}
