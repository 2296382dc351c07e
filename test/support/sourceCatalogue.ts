// Test support: source codes given as event_sources gives them (one per distinct source, from 1),
// for tests of the stored text without a database. `sourceOf` refuses a code it never gave.
import { withSourceCode } from '../../shared/events/storedEnvelope';

export class SourceCatalogue {
  private readonly sources: string[] = [];
  private readonly codes = new Map<string, number>();

  codeOf(source: string): number {
    let code = this.codes.get(source);
    if (code === undefined) {
      code = this.sources.push(source);
      this.codes.set(source, code);
    }
    return code;
  }

  readonly sourceOf = (code: number): string => {
    const source = this.sources[code - 1];
    if (source === undefined || code < 1) throw new Error(`source code ${code} was never given`);
    return source;
  };

  /** The decoder's text as the writer stores it in a database that codes sources. */
  stored(e: { json: string; source: string }): string {
    return withSourceCode(e.json, this.codeOf(e.source));
  }
}
