// The replay view's "recently opened" list: recent-captures.json in the config folder.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicallySync } from '../atomicFile';

export interface RecentCapture {
  file: string;
  openedAt: number;
}

const MAX_RECENT = 10;
const fileIn = (configDir: string) => path.join(configDir, 'recent-captures.json');

export function readRecentCaptures(configDir: string): RecentCapture[] {
  try {
    const list = JSON.parse(fs.readFileSync(fileIn(configDir), 'utf8')) as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter((r): r is RecentCapture => typeof r?.file === 'string' && typeof r?.openedAt === 'number').slice(0, MAX_RECENT);
  } catch {
    return [];
  }
}

export function rememberRecentCapture(configDir: string, file: string): void {
  const list = [{ file, openedAt: Date.now() }, ...readRecentCaptures(configDir).filter((r) => r.file !== file)].slice(0, MAX_RECENT);
  // Whole or not at all, as the other config files: a write cut short lost the whole list.
  writeFileAtomicallySync(fileIn(configDir), `${JSON.stringify(list, null, 2)}\n`);
}
