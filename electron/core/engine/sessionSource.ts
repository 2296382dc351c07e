import type { Engine, IngestSource } from './engine';
import type { EngineConfig } from './engineConfig';

/** The non-broker source a session needs: the demo simulator, or none for a live session. */
export function createSessionSource(config: EngineConfig, _engine: Engine): IngestSource | undefined {
  if (config.session === 'demo' && config.demo) {
    // Filled in with the simulator (electron/core/sim) once it lands.
    return undefined;
  }
  return undefined;
}
