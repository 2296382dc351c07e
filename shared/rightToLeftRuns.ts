// Runs of right-to-left words in text built around values from the events. The console and the
// HTML report isolate each (a <bdi>), so that a merchant named in Hebrew or Arabic cannot draw the
// figures beside it into its run. One definition for both.

/** Letters of right-to-left scripts (JS regexes name scripts, not bidi classes): Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Adlam, Hanifi Rohingya, Yezidi. */
const RTL = '\\p{scx=Hebr}\\p{scx=Arab}\\p{scx=Syrc}\\p{scx=Thaa}\\p{scx=Nkoo}\\p{scx=Samr}\\p{scx=Mand}\\p{scx=Adlm}\\p{scx=Rohg}\\p{scx=Yezi}';

/** A run of right-to-left words: joined by spaces, hyphens, apostrophes and points, never across a figure or a bracket. */
export const RTL_RUN = new RegExp(`[${RTL}][${RTL}\\p{M}]*(?:[ \\-'’.]+[${RTL}][${RTL}\\p{M}]*)*`, 'gu');
