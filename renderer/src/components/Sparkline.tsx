// A tiny inline trend line (SVG, no axes): enough to see a queue grow or drain at a glance.
export function Sparkline({ values, width = 90, height = 22, label, testId }: { values: (number | null)[]; width?: number; height?: number; label: string; testId?: string }) {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length < 2) return <svg width={width} height={height} role="img" aria-label={`${label}: not enough samples`} data-testid={testId} />;
  const max = Math.max(...known);
  const min = Math.min(...known);
  const span = max - min || 1;
  const step = width / Math.max(1, values.length - 1);
  const points = values
    .map((v, i) => (v === null || !Number.isFinite(v) ? null : `${(i * step).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  return (
    <svg width={width} height={height} role="img" aria-label={`${label}: ${known[0]} to ${known[known.length - 1]}`} data-testid={testId} className="sparkline">
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}
