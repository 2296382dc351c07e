// A rules save applies the routing of the text that was saved, not whatever the file holds when
// the host gets to it: another save, or an editor writing the file in place, may have changed it
// in between, and the session then said "not applied" (or ran another save's routing) for a save
// that was fine. Real SQLite session file, the console's own start and reload.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineConfig } from '../engine/engineConfig';
import { MemorySecretStore } from '../secrets/secretStore';
import { openStore } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { reloadConsoleNotifications, startConsoleNotifications } from './consoleNotifications';
import type { SessionNotifications } from './notificationHub';

const dir = tempDir('payops-reload-saved-text-');
const open: SessionNotifications[] = [];
afterEach(async () => {
  for (const n of open.splice(0)) await n.stop();
});

const routed = (name: string) => `contactPoints:\n  - { name: ${name}, type: webhook, urlSecret: ${name} }\ndefaultPolicy: { contactPoint: ${name} }\nrules: []\n`;
/** What the file holds when the host reads it: another writer's text, cut short. */
const HALF_WRITTEN = 'contactPoints:\n  - { name: other, type: webh';

function session(name: string): { config: EngineConfig; rulesFile: string } {
  const dbFile = path.join(dir, `${name}.db`);
  openStore(dbFile).close();
  const rulesFile = path.join(dir, `${name}.yaml`);
  return { config: { dbFile, session: 'demo', demo: { scenario: 'decline-spike', rate: 20, seed: 42 }, rulesFile }, rulesFile };
}

// The console's own desktop contact point is in every routing.
const names = (n: SessionNotifications | null) => n?.hub.routingInUse().contactPoints.filter((c) => c.type !== 'desktop').map((c) => c.name);

describe('a rules save applies the saved text', () => {
  it('a session with routing: the saved routing applies although the file now holds other (broken) text', () => {
    const { config, rulesFile } = session('replace');
    fs.writeFileSync(rulesFile, routed('first'));
    const started = startConsoleNotifications(config, new MemorySecretStore(), () => undefined);
    expect(names(started)).toEqual(['first']);
    open.push(started!);
    fs.writeFileSync(rulesFile, HALF_WRITTEN);
    const notApplied: string[] = [];
    const after = reloadConsoleNotifications(started, config, new MemorySecretStore(), () => undefined, undefined, (m) => notApplied.push(m), routed('second'));
    expect(notApplied).toEqual([]);
    expect(names(after)).toEqual(['second']);
  });

  it('a session without routing: the routing a save adds is the saved text\'s', () => {
    const { config, rulesFile } = session('start');
    fs.writeFileSync(rulesFile, routed('third'));
    const loadFailed: string[] = [];
    const started = reloadConsoleNotifications(null, config, new MemorySecretStore(), () => undefined, (m) => loadFailed.push(m), undefined, routed('fourth'));
    if (started) open.push(started);
    expect(loadFailed).toEqual([]);
    expect(names(started)).toEqual(['fourth']);
  });
});
