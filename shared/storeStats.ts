// Figures about a session database that cross thread and process boundaries.

/** What `payops stats --json` prints (the ingest issue's contract). */
export interface StoreStats {
  events: number;
  byType: Record<string, number>;
  /** Every message quarantined since the database began (the retention does not lower it). */
  quarantined: number;
  /** The quarantined messages the database holds now (what the Quarantine tab lists; the retention deletes them). */
  quarantineHeld: number;
  duplicates: number;
  redeliveredDuplicates: number;
  /** Of `quarantined`: events whose source and id were stored already with a different body (the stored copy kept). */
  conflictingDuplicates: number;
  unknownTypes: number;
  authorizedAmountByCurrency: Record<string, number>;
  firstEventTime: string | null;
  lastEventTime: string | null;
}

export interface DbSizeLimit {
  /** The limit in effect, in bytes (rounded down to whole pages), or null for none. */
  maxBytes: number | null;
  /** The database's current size in bytes (pages in use, free pages included). */
  sizeBytes: number;
}
