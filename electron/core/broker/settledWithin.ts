// A wait on the broker that must end: a stop never waits for ever on a broker that stalled or
// blocks the connection (an answer to a cancel, a close, a publish under way).

/** Whether `p` settles (resolved or rejected) within `ms`. */
export async function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([p.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
