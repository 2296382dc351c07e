// The charts' tooltip box: the time, then one row per series with its colour swatch, neutral
// text so it reads in both themes. A series named by the broker or the events (a queue, an event
// type) is drawn as the legends draw it: isolated and cut (UntrustedText), in the box and in the
// line said to a screen reader, where its override turned "name value" round.
import { type CutAt, UntrustedText } from './UntrustedText';

export interface TooltipItem {
  key: string;
  name: string;
  color: string;
  value: number | null;
  /** Set where the name is the broker's or the events' (not the console's own words): where it is cut. */
  untrusted?: CutAt;
}

/** A row's time as the chart words it, and the zone it is in ("GMT+1"): the axes name none. */
export interface TooltipTime {
  text: string;
  zone: string;
}

const itemValue = (item: TooltipItem, unit: string, format: (v: number) => string) => (item.value === null ? '—' : `${format(item.value)}${unit}`);

function ItemName({ item, className }: { item: TooltipItem; className?: string }) {
  return item.untrusted ? <UntrustedText className={className} text={item.name} cut={item.untrusted} /> : <span className={className}>{item.name}</span>;
}

/**
 * The tooltip as one line, for a screen reader: "2026-11-23 09:00:00 GMT+1: Approval rate per
 * attempt 90.0 %, …". A name from the broker or the events is a <bdi>, not isolation marks in
 * the text: nothing around it to be read out.
 */
export function TooltipSaid({ time, items, unit, format }: { time: TooltipTime; items: readonly TooltipItem[]; unit: string; format: (v: number) => string }) {
  return (
    <>
      {time.text} {time.zone}:{' '}
      {items.map((item, i) => (
        <span key={item.key}>
          {i ? ', ' : ''}
          <ItemName item={item} /> {itemValue(item, unit, format)}
        </span>
      ))}
    </>
  );
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
          <ItemName item={item} className="chart-tooltip-name" />
          <span className="chart-tooltip-value">{itemValue(item, unit, format)}</span>
        </div>
      ))}
    </div>
  );
}
