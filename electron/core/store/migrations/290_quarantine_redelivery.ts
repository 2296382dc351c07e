import type { Database } from 'better-sqlite3';

// A message the ingest transaction quarantined and committed, but whose acknowledgement was
// lost with the process or its channel, comes back marked redelivered and was quarantined
// again: a kill mid-drain turned 4,000 refused messages into 5,900 rows. The writer now looks
// a redelivered refusal up by its body before storing it (QuarantineRepository.holds); this
// index makes that one seek. Its key is the body's length and first bytes (SQLite has no hash
// function to index on), which tell nearly all bodies apart; the lookup compares the whole body.
export const QUARANTINE_BODY_PREFIX_BYTES = 64;

export const migration290 = {
  version: 290,
  name: 'quarantine: redelivered refusals found by their body',
  up(db: Database): void {
    db.exec(`CREATE INDEX IF NOT EXISTS quarantine_body ON quarantine (length(body), substr(body, 1, ${QUARANTINE_BODY_PREFIX_BYTES}))`);
  },
};
