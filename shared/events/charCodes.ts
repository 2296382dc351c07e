// The UTF-16 code units the decoder's hand-written scanners compare against (charCodeAt).
export const QUOTE = 34;
export const HASH = 35;
export const PERCENT = 37;
export const COMMA = 44;
export const SLASH = 47;
export const COLON = 58;
export const QUESTION = 63;
export const AT = 64;
export const OPEN_BRACKET = 91;
export const BACKSLASH = 92;
export const CLOSE_BRACKET = 93;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
