// The API's `events` and `quarantine` services, served by the read worker.
import type { Database } from 'better-sqlite3';
import type { ApiParsedArgs, ApiResults } from '../../../shared/api';
import type { ApiService } from '../../../shared/apiDispatch';
import { EventQuery } from './eventQuery';
import { quarantineGet, quarantinePage } from './quarantineQuery';
import { paymentTimeline } from './timeline';

export class EventsService implements ApiService<'events'> {
  private readonly pages: EventQuery;

  constructor(private readonly db: Database) {
    this.pages = new EventQuery(db);
  }

  query(args: ApiParsedArgs<'events.query'>): ApiResults['events.query'] {
    return this.pages.page(args);
  }

  get({ seq }: ApiParsedArgs<'events.get'>): ApiResults['events.get'] {
    return { event: this.pages.get(seq) };
  }

  timeline({ paymentId }: ApiParsedArgs<'events.timeline'>): ApiResults['events.timeline'] {
    return paymentTimeline(this.db, paymentId);
  }
}

export class QuarantineService implements ApiService<'quarantine'> {
  constructor(private readonly db: Database) {}

  query(args: ApiParsedArgs<'quarantine.query'>): ApiResults['quarantine.query'] {
    return quarantinePage(this.db, args);
  }

  get({ seq }: ApiParsedArgs<'quarantine.get'>): ApiResults['quarantine.get'] {
    return { row: quarantineGet(this.db, seq) };
  }
}
