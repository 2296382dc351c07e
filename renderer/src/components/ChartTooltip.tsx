// The charts' tooltip box: the time, then one row per series with its colour swatch, neutral
// text so it reads in both themes.

export interface TooltipItem {
  key: string;
  name: string;
  color: string;
  value: number | null;
}

/** A row's time as the chart words it, and the zone it is in ("GMT+1"): the axes name none. */
export interface TooltipTime {
  text: string;
  zone: string;
}

const itemValue = (item: TooltipItem, unit: string, format: (v: number) => string) => (item.value === null ? '—' : `${format(item.value)}${unit}`);

/** The tooltip as one line, for a screen reader: "2026-11-23 09:00:00 GMT+1: Approval rate per attempt 90.0 %, …". */
export function tooltipText(time: TooltipTime, items: readonly TooltipItem[], unit: string, format: (v: number) => string): string {
  return `${time.text} ${time.zone}: ${items.map((item) => `${item.name} ${itemValue(item, unit, format)}`).join(', ')}`;
}

/** `items` top of the chart first; `time` the row's time, its zone a span of its own beside it (the time's text is the data table's row). */
export function ChartTooltipBox({ time, items, unit, format }: { time: TooltipTime; items: readonly TooltipItem[]; unit: string; format: (v: number) => string }) {
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-head">
        <span className="chart-tooltip-time">{time.text}</span> <span className="chart-tooltip-zone">{time.zone}</span>
      </div>
      {items.map((item) => (
        <div key={item.key} className="chart-tooltip-row">
          <span className="swatch" style={{ background: item.color }} />
          <span className="chart-tooltip-name">{item.name}</span>
          <span className="chart-tooltip-value">{itemValue(item, unit, format)}</span>
        </div>
      ))}
    </div>
  );
}
