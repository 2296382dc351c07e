// The charts' tooltip box: the time, then one row per series with its colour swatch, neutral
// text so it reads in both themes.

export interface TooltipItem {
  key: string;
  name: string;
  color: string;
  value: number | null;
}

/** `items` top of the chart first; `title` the row's time as the chart words it. */
export function ChartTooltipBox({ title, items, unit, format }: { title: string; items: readonly TooltipItem[]; unit: string; format: (v: number) => string }) {
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{title}</div>
      {items.map((item) => (
        <div key={item.key} className="chart-tooltip-row">
          <span className="swatch" style={{ background: item.color }} />
          <span className="chart-tooltip-name">{item.name}</span>
          <span className="chart-tooltip-value">{item.value === null ? '—' : `${format(item.value)}${unit}`}</span>
        </div>
      ))}
    </div>
  );
}
