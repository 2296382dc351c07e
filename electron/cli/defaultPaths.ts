import os from 'node:os';
import path from 'node:path';

/** Where a user's databases and profiles live unless --db says otherwise. */
export function payopsHome(): string {
  return process.env.PAYOPS_HOME ?? path.join(os.homedir(), '.payops');
}

export function defaultLiveDb(): string {
  return path.join(payopsHome(), 'live.db');
}

/** The built renderer, next to dist/ in a checkout or a package. */
export function rendererDir(): string {
  return path.resolve(__dirname, '../../../dist-renderer');
}
