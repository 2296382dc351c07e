// The API's `events` and `quarantine` services, served by the read worker.
import type { ApiParsedArgs, ApiResults } from '../../../shared/api';
import type { ApiService } from '../../../shared/apiDispatch';
import type { ReadStore } from '../store/store';
import { quarantineGet, quarantinePage } from './quarantineQuery';
import { paymentTimeline } from './timeline';

export class EventsService implements ApiService<'events'> {
  constructor(private readonly store: ReadStore) {}

  query(args: ApiParsedArgs<'events.query'>): ApiResults['events.query'] {
    return this.store.eventPages.page(args);
  }

  get({ seq }: ApiParsedArgs<'events.get'>): ApiResults['events.get'] {
    return { event: this.store.events.get(seq) };
  }

  timeline({ paymentId }: ApiParsedArgs<'events.timeline'>): ApiResults['events.timeline'] {
    return paymentTimeline(this.store, paymentId);
  }
}

export class QuarantineService implements ApiService<'quarantine'> {
  constructor(private readonly store: ReadStore) {}

  query(args: ApiParsedArgs<'quarantine.query'>): ApiResults['quarantine.query'] {
    return quarantinePage(this.store, args);
  }

  get({ seq }: ApiParsedArgs<'quarantine.get'>): ApiResults['quarantine.get'] {
    return { row: quarantineGet(this.store, seq) };
  }
}
