// The event explorer: payment timelines, the quarantine browser and the requests that serve
// them (its keyset pages over events are the store's: store/eventPages.ts).
export { paymentTimeline, TIMELINE_MAX_STEPS } from './timeline';
export { quarantinePage, quarantineGet, describeBody } from './quarantineQuery';
