// Test-only: a replay session composed as the console composes it, started and run to the end
// of its capture (the engine's `drained`), for tests that read its snapshot and store after.
import { composeEngine, type EngineSession } from '../../electron/core/engine/composeEngine';
import type { EngineConfig } from '../../electron/core/engine/engineConfig';

/** Starts the session, registers it in `running` (the test stops it), and resolves once it has drained. */
export async function replayedToTheEnd(config: EngineConfig, running: EngineSession[], log: (line: string) => void = () => undefined): Promise<EngineSession> {
  let drained!: () => void;
  const done = new Promise<void>((r) => (drained = r));
  const session = composeEngine(config, { snapshot: () => undefined, log, drained: () => drained() });
  running.push(session);
  await session.start();
  await done;
  return session;
}
