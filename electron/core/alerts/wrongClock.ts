// The evaluators' clocks follow the newest event time, so a single event stamped a year ahead
// (a producer's clock gone wrong) would carry every tick a year ahead, and every correct event
// after it would be too late to count: no alert could fire until then. An event time this far
// past the wall clock is taken as a wrong clock and ignored. Consoles' and producers' clocks
// are minutes apart at worst; a capture replayed or backtested holds no event from the future.
export const MAX_AHEAD_OF_WALL_CLOCK_MS = 5 * 60_000;

/**
 * An event arriving after the ticks of its second were judged is counted as of its arrival
 * (the oldest second not judged yet) when it is at most this far behind: a producer whose
 * clock is minutes behind, or a batch held up for minutes. Older, it is a batch from the past
 * and is dropped (stats().lateEventsDropped).
 */
export const MAX_LATE_COUNTED_MS = 5 * 60_000;
