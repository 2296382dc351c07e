// The event explorer: filtered keyset pages, event detail, payment timelines, quarantine.
export { EventQuery, planQuery, toEventRow, type QueryOptions } from './eventQuery';
export { paymentTimeline, TIMELINE_MAX_STEPS } from './timeline';
export { quarantinePage, quarantineGet, describeBody } from './quarantineQuery';
