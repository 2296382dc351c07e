// A sentence the core composed around values from events, drawn with each value isolated
// (<bdi>) and cut as UntrustedText cuts a value shown alone (the whole in its title); the
// console's own words and figures stay outside. See lib/sentenceParts.ts.
import { sentenceParts, type SentenceValue } from '../lib/sentenceParts';

export { alertSentenceValues } from '../lib/sentenceParts';
import { clipText } from './UntrustedText';

/** `text` with the `values` it was written around (and any right-to-left run) isolated, undrawn characters as \uXXXX. */
export function Sentence({ text, values }: { text: string; values?: readonly SentenceValue[] }) {
  return (
    <>
      {sentenceParts(text, values).map((p, i) => {
        if (!p.value) return p.text;
        const shown = clipText(p.text);
        return (
          <bdi key={i} title={shown === p.text ? undefined : p.text}>
            {shown}
          </bdi>
        );
      })}
    </>
  );
}
