// Test support: the CPU time this process spends on `work` (every thread of it, in ms). The
// "costs linear time" tests bound it instead of wall time: on a machine whose cores other work
// shares, a second of wall time can hold a tenth of a second of this process's CPU, while a
// quadratic scan still costs its seconds of CPU.
export function cpuMsOf(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}
