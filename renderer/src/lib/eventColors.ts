// One fixed color per event type, readable on both themes, so a type keeps its color
// across charts and legends.
import { KNOWN_TYPES } from '../../../shared/events/eventTypes';

export const TYPE_COLORS: Record<string, string> = {
  'payment.initiated': '#6f86d6',
  'payment.authorized': '#2fae6a',
  'payment.captured': '#1f9ea8',
  'payment.declined': '#e8833a',
  'payment.failed': '#e5484d',
  'payment.refunded': '#a371f7',
  'payment.chargeback': '#d6409f',
  'risk.scored': '#4aa3df',
  'risk.flagged': '#d4a72c',
  'risk.blocked': '#9b2c2c',
  unknown: '#8b949e',
};

const EXTRA = ['#7e9f35', '#b5651d', '#5c7cfa', '#c2255c', '#0ca678', '#f08c00'];

export const TYPE_ORDER: readonly string[] = [...KNOWN_TYPES, 'unknown'];

export function typeColor(type: string): string {
  const c = TYPE_COLORS[type];
  if (c) return c;
  let h = 0;
  for (let i = 0; i < type.length; i++) h = (h * 31 + type.charCodeAt(i)) >>> 0;
  return EXTRA[h % EXTRA.length];
}

export function sortTypes(types: Iterable<string>): string[] {
  const rank = (t: string) => {
    const i = TYPE_ORDER.indexOf(t);
    return i === -1 ? TYPE_ORDER.length : i;
  };
  return [...types].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export const QUEUE_COLORS = ['#4ea1ff', '#f0883e', '#3fb950', '#d2a8ff', '#ff7b72', '#e3b341', '#39c5cf', '#bc8cff'];

export function queueColor(index: number): string {
  return QUEUE_COLORS[index % QUEUE_COLORS.length];
}

export interface ChartTheme {
  grid: string;
  axis: string;
  text: string;
  tooltipBg: string;
  tooltipBorder: string;
}

export function chartTheme(theme: 'dark' | 'light'): ChartTheme {
  return theme === 'dark'
    ? { grid: '#232c38', axis: '#3a4656', text: '#8b97a8', tooltipBg: '#1b222c', tooltipBorder: '#334054' }
    : { grid: '#e6eaf0', axis: '#c5ccd6', text: '#5b6675', tooltipBg: '#ffffff', tooltipBorder: '#d0d7e0' };
}
