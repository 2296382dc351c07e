// A span of seconds at its true size, from seconds to days: an arrival lag of months must not
// read "51.9 min", and a queue that drains in an hour must not read "3600 s".
export function formatDurationSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '-' : '';
  const one = (v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(1));
  if (s < 1) return `${sign}${Math.round(s * 1000)} ms`;
  if (s < 120) return `${sign}${one(s)} s`;
  if (s < 7200) return `${sign}${one(s / 60)} min`;
  if (s < 172_800) return `${sign}${one(s / 3600)} h`;
  return `${sign}${one(s / 86_400)} d`;
}
