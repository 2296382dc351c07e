// Text from the events or the broker (a merchant id, an issuer, an alert's label value) placed
// inline in the console's own lines and tables. Bidi-isolated: a right-to-left override in a
// merchant id would otherwise turn round what follows it in the line (the next label, the
// figures after it). Cut to a length a cell holds: a 4,000-character id with no space in it
// made its table as wide as the id; the whole stays in the title, to read and to copy.
import { groupValueText } from '../../../shared/alerts';
import { withFormatCharactersShown } from '../../../shared/formatCharacters';

/** Characters of an untrusted value shown inline before it is cut. */
export const UNTRUSTED_SHOWN_CHARS = 64;

/**
 * Where a value is cut: at its end, or in its `middle` (its start and its end kept) for a name
 * whose end tells it apart (a queue payops.console.<host>.<id>: cut at the end, two consoles'
 * queues read alike).
 */
export type CutAt = 'end' | 'middle';

/** `text` cut to `max` characters (code points: a cut never splits an emoji or a surrogate pair), with "…" where cut. */
export function clipText(text: string, max = UNTRUSTED_SHOWN_CHARS, at: CutAt = 'end'): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (at === 'end') return `${chars.slice(0, max).join('')}…`;
  const head = Math.ceil(max / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (max - head)).join('')}`;
}

/**
 * A value as groupValueText writes it (quoted where it would not be seen as written), isolated and
 * cut (at its end, or in its middle: `cut`), its undrawn characters shown. `quoted`: the caller
 * draws the quotes (a silence matcher's "…").
 */
export function UntrustedText({ text, className, quoted = false, cut = 'end' }: { text: string; className?: string; quoted?: boolean; cut?: CutAt }) {
  // Its undrawn characters as \uXXXX, as in sentences: inside its isolate a right-to-left
  // override still turned the value itself round ("m_\u202e1042" read "m_2401").
  const written = withFormatCharactersShown(quoted ? text : groupValueText(text));
  const shown = clipText(written, UNTRUSTED_SHOWN_CHARS, cut);
  return (
    <bdi className={className} title={shown === written ? undefined : written}>
      {shown}
    </bdi>
  );
}

/** An alert's labels ("merchantId=m_1042, country=DE"), each value isolated and cut as UntrustedText draws it. */
export function LabelList({ labels }: { labels: Record<string, string> }) {
  return (
    <>
      {Object.entries(labels).map(([k, v], i) => (
        <span key={k}>
          {i ? ', ' : ''}
          {k}=<UntrustedText text={v} />
        </span>
      ))}
    </>
  );
}

/** Silence matchers (merchantId="m_1042", country=~"D.*"), each value isolated and cut as UntrustedText draws it. */
export function MatcherList({ matchers }: { matchers: readonly { label: string; op: string; value: string }[] }) {
  return (
    <>
      {matchers.map((m, i) => (
        <span key={i}>
          {i ? ', ' : ''}
          {m.label}
          {m.op}&quot;
          <UntrustedText text={m.value} quoted />
          &quot;
        </span>
      ))}
    </>
  );
}
