// The evaluators' clocks follow the newest event time, so a single event stamped a year ahead
// (a producer's clock gone wrong) would carry every tick a year ahead, and every correct event
// after it would be too late to count: no alert could fire until then. An event time this far
// past the wall clock is taken as a wrong clock and ignored. Consoles' and producers' clocks
// are minutes apart at worst; a capture replayed or backtested holds no event from the future.
export const MAX_AHEAD_OF_WALL_CLOCK_MS = 5 * 60_000;
