// Secrets written in free text, as a log line, an error or a producer's note quotes them: what
// both the export masker (report/masking.ts) and the log redaction (redact.ts) hide as "***".
// Each pattern reads a character of the text a bounded number of times, so a long hostile line
// costs its length, not its square (every log line goes through here).

/**
 * A secret written as key=value, in a URL's query ("?token=...", "&sig=...") or in free text
 * ("password=...", "api_key='...'"): a name that says it holds a secret (...token, ...secret,
 * ...password, passphrase, api/private/access/signing key, signature; the short key, sig and
 * auth only as a query parameter). The value is hidden to its end, as an operator reads it, so
 * a value typed with a space ("pa ss") is hidden whole:
 * - a quoted value to its closing quote (a backslash escapes one; never closed: the line);
 * - any other to the end of the line, to the next pair (a name and "=" after a space, "&", ";"
 *   or ","), or to a quote or angle bracket (the end of the attribute or tag holding it).
 * The next pair's name is looked for within 64 characters, so each character of a line is
 * read a bounded number of times (a long hostile line costs its length).
 */
const SECRET_PARAM =
  /((?:(?<=[?&;])(?:key|sig|auth)|[a-z0-9_-]{0,40}?(?:token|secret|passw(?:or)?d|passphrase|api[_-]?key|private[_-]?key|access[_-]?key|signing[_-]?key|signature))=)(?:(\\?["'])((?:(?!\2)[^\\\r\n]|\\\\(?:\\["'])?|(?!\2)\\[^\\\r\n])*)(\2?)|((?:(?![\s&;,][a-z0-9_.-]{1,64}=)[^\r\n"'<>])+))/gi;

/**
 * The same secret written as name: value, as a header, YAML or a JSON member quotes it
 * ("access_token: ...", "x-api-key: ...", '"client_secret": "..."'): a name SECRET_PARAM knows
 * (api_key, apikey, client_secret, refresh_token... end in one of its words), its closing quote,
 * blanks, a colon, blanks. The value ends as a pair's does, and also at the next "name:" (after
 * a separator and up to 8 blanks: ", x-request-id:") and at a brace (the end of its object).
 * JSON escaped once more, as a log line or a text field quotes a body ('{\"access_token\":
 * \"abc\"}'), is read the same way: its quotes are \" (here, in SECRET_PARAM and in
 * AUTHORIZATION), and \\\" inside such a value is a quote within it, not its end.
 */
const SECRET_FIELD =
  /([a-z0-9_-]{0,40}?(?:token|secret|passw(?:or)?d|passphrase|api[_-]?key|private[_-]?key|access[_-]?key|signing[_-]?key|signature)(?:\\?["'])?[ \t]*:[ \t]*)(?:(\\?["'])((?:(?!\2)[^\\\r\n]|\\\\(?:\\["'])?|(?!\2)\\[^\\\r\n])*)(\2?)|((?:(?![\s&;,][ \t]{0,8}[a-z0-9_.-]{1,64}[=:])[^\r\n"'<>{}])+))/gi;
/** Words that end the name of a SECRET_FIELD: the text holds none, no pattern runs. */
const SECRET_WORD = /token|secret|passw|passphrase|key|signature/i;

/** The masked form of one SECRET_PARAM match: its name, "***" in its quotes, and the blanks after an unquoted value. */
function maskSecretParam(whole: string, name: string, quote: string | undefined, quoted: string | undefined, closing: string | undefined, bare: string | undefined): string {
  if (quote !== undefined) return quoted ? `${name}${quote}***${closing ?? ''}` : whole;
  const value = bare ?? '';
  let end = value.length;
  while (end > 0 && /\s/.test(value[end - 1])) end -= 1;
  return end === 0 ? whole : `${name}***${value.slice(end)}`;
}

/**
 * An HTTP credential: "Bearer <token>", or "Basic <base64 of user:password>" (only that, so
 * "Basic plan" stays). Schemes are case-insensitive (RFC 9110): "bearer", "BASIC" too.
 */
const BEARER = /\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const BASIC = /\b(basic)\s+([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/gi;
const AUTH_SCHEME = /bearer|basic/i;

/**
 * The value of an Authorization or Proxy-Authorization header, in any scheme (RFC 9110: a scheme,
 * then a token68 or auth-params; or, as some APIs take it, the credential alone), written as a
 * header ("Authorization: Token ..."), a JSON member ('"Authorization": "SSWS ..."') or a pair
 * ("authorization=..."): to the end of the line (auth-params hold quotes), or of its quotes. What follows is masked when
 * it reads as a credential (parsed by authorizationValue), so "authorization: declined by
 * issuer" stays.
 */
const AUTHORIZATION = /(?<![A-Za-z0-9_])((?:proxy-)?authorization)((?:\\?["'])?[ \t]*[:=][ \t]*)(?:(\\?["'])((?:(?!\3)[^\\\r\n]|\\\\(?:\\["'])?|(?!\3)\\[^\\\r\n])*)(\3?)|([^\r\n]*))/gi;
/** Schemes of the IANA HTTP authentication scheme registry and the common vendor ones: what follows them is a credential. */
const KNOWN_AUTH_SCHEMES = new Set([
  'basic', 'bearer', 'digest', 'hoba', 'mutual', 'negotiate', 'ntlm', 'oauth', 'scram-sha-1', 'scram-sha-256', 'vapid', 'dpop', 'gnap', 'privatetoken',
  'concealed', 'token', 'apikey', 'api-key', 'key', 'sharedkey', 'ssws', 'aws4-hmac-sha256', 'hmac', 'signature', 'gssapi', 'kerberos',
]);
/** A token68 (RFC 9110) of at least 8 characters that is no plain word ("approved", "Insufficient", "DECLINED"), or an auth-param ("username="). */
const looksLikeCredential = (text: string): boolean => {
  const token = /^[A-Za-z0-9._~+/-]+=*/.exec(text)?.[0] ?? '';
  if (/^[A-Za-z0-9_-]+[ \t]*=[^=]/.test(text)) return true;
  return token.length >= 8 && !/^(?:[A-Za-z][a-z]*|[A-Z]+)$/.test(token);
};

/** An Authorization value with its credential masked (the scheme kept), or null when it holds none. */
function authorizationValue(value: string): string | null {
  const trimmed = value.trimEnd();
  const blanks = value.slice(trimmed.length);
  const scheme = /^([A-Za-z][A-Za-z0-9._~+-]{0,40})[ \t]+(\S[\s\S]*)$/.exec(trimmed);
  if (scheme && (KNOWN_AUTH_SCHEMES.has(scheme[1].toLowerCase()) || looksLikeCredential(scheme[2]))) return `${scheme[1]} ***${blanks}`;
  // The credential alone (no scheme), perhaps with words after it: hidden to the end.
  if (looksLikeCredential(trimmed)) return `***${blanks}`;
  return null;
}

function maskAuthorization(whole: string, name: string, separator: string, quote: string | undefined, quoted: string | undefined, closing: string | undefined, bare: string | undefined): string {
  const masked = authorizationValue(quote !== undefined ? (quoted ?? '') : (bare ?? ''));
  if (masked === null) return whole;
  return quote !== undefined ? `${name}${separator}${quote}${masked}${closing ?? ''}` : `${name}${separator}${masked}`;
}

/**
 * Secrets known by their published prefixes, whatever field or text holds them: webhook signing
 * secrets (Stripe whsec_), API keys (Stripe sk_/rk_ live and test, Checkout.com sk_sbox_, GitHub
 * ghp_/gho_/ghu_/ghs_/ghr_/github_pat_, GitLab glpat-, npm npm_, Shopify shpat_/shpss_/shpca_/shppa_,
 * Square sq0atp-/sq0csp-, SendGrid SG., Google AIza and OAuth ya29., OpenAI and Anthropic sk-...,
 * Mailgun key-, Braintree access_token$production$..., Adyen AQE...), AWS access key ids (AKIA,
 * and ASIA for temporary ones), Slack tokens (xoxb-, xoxp-, xoxe-, xapp-...). Each form is bounded
 * or ends where its characters do, so a long line is read once.
 */
const KNOWN_SECRET = new RegExp(
  String.raw`(?<![A-Za-z0-9_-])(?:` +
    [
      String.raw`(?:whsec_|(?:sk|rk)_(?:live|test|sbox)_|gh[pousr]_|github_pat_|glpat-|xoxe\.xox[a-z]-|xox[abposre]-|xapp-)[A-Za-z0-9_-]{8,}`,
      String.raw`(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])`,
      String.raw`npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_-])`,
      String.raw`shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}(?![A-Za-z0-9_-])`,
      String.raw`sq0(?:atp|csp)-[A-Za-z0-9_-]{22,}`,
      String.raw`SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`,
      String.raw`AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])`,
      String.raw`ya29\.[A-Za-z0-9_-]{20,}`,
      String.raw`sk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}`,
      String.raw`key-[0-9a-f]{32}(?![A-Za-z0-9_-])`,
      String.raw`access_token\$(?:production|sandbox)\$[A-Za-z0-9$]{8,}`,
      // Adyen: base64 parts apart by "-", the last of any characters (to a blank, quote or bracket).
      String.raw`AQE[A-Za-z0-9+/]{30,}={0,2}(?:-[^\s"'<>]+)?`,
    ].join('|') +
    ')',
  'g',
);
const KNOWN_SECRET_START = /whsec_|_live_|_test_|_sbox_|gh[pousr]_|github_pat_|glpat-|xox[a-z]|xapp-|AKIA|ASIA|npm_|shp[a-z]{2}_|sq0|SG\.|AIza|ya29\.|sk-|key-|\$(?:production|sandbox)\$|AQE/;
/**
 * A PagerDuty integration key (32 letters and digits) given as a routing, service or integration
 * key ("routing_key": "...", service_key=...): only that form, so an AMQP routing key
 * ("routing_key: payment.declined") stays.
 */
const INTEGRATION_KEY = /(?<![A-Za-z0-9_-])((?:routing|service|integration)[_-]?key(?:\\?["'])?[ \t]*[:=][ \t]*(?:\\?["'])?)[A-Za-z0-9]{32}(?![A-Za-z0-9_.-])/gi;
const INTEGRATION_KEY_NAME = /(?:routing|service|integration)[_-]?key/i;
/**
 * A JSON Web Token (JWS compact form): its header and payload are base64url JSON objects, so both
 * start "eyJ" ('{"'); three dot-separated parts. A bearer token wherever it is written.
 */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
/**
 * A PEM private key block (PKCS #1, #8, EC, OpenSSH, encrypted): the whole block, to its END line
 * within 16 KiB and before any other BEGIN line (so text of many BEGIN lines is read once). A block without one (text cut short, an END of another kind) is its BEGIN line,
 * the encrypted form's RFC 1421 headers (Proc-Type, DEK-Info) and its run of base64 lines: each
 * line after the first is taken while the one before it is a full line (32 characters or more;
 * keys are wrapped at 64 or 70), so the last, short line ends it and the text after the key (a
 * merchant, a reason, the rest of a log line) stays. Between lines: a line break, the escaped
 * "\n" of JSON quoted in a log line, or the blanks of a key flattened onto one line.
 */
const PEM_LINE_BREAK = String.raw`(?:\r?\n|\\r\\n|\\n)`;
const PEM_SEPARATOR = String.raw`(?:[ \t]*${PEM_LINE_BREAK}[ \t]*|[ \t]+)`;
const PEM_PRIVATE_KEY = new RegExp(
  String.raw`-----BEGIN ([A-Z0-9 ]{0,40}PRIVATE KEY)-----(?:(?:(?!-----BEGIN )[\s\S]){0,16384}?-----END \1-----|` +
    String.raw`(?:${PEM_SEPARATOR}(?=[A-Za-z0-9+/=]|Proc-Type:|DEK-Info:))?(?:(?:Proc-Type|DEK-Info):[^\r\n\\]{0,200}${PEM_LINE_BREAK})*${PEM_LINE_BREAK}?` +
    String.raw`(?:[A-Za-z0-9+/=]{32,}${PEM_SEPARATOR}(?=[A-Za-z0-9+/=]))*[A-Za-z0-9+/=]*)`,
  'g',
);

/**
 * Text with its PEM private key blocks masked as "***". Run before the passes that mask card
 * numbers and IBANs: one of those may find an account number inside a key's base64 line (a
 * mixed-case run that passes an IBAN's check, one key in ~100), and its stars then end the block's
 * base64 there, so the rest of the key would be left.
 */
export function maskPrivateKeys(text: string): string {
  return text.includes('PRIVATE KEY-----') ? text.replace(PEM_PRIVATE_KEY, '***') : text;
}

/**
 * The value of a Cookie or Set-Cookie header (name=value pairs: a session id is as good as a
 * password), written as a header ("Cookie: sid=...; theme=dark") or a JSON member ('"cookie":
 * "sid=..."'): to the end of the line, or of its quotes. Only a value that starts as a cookie
 * does, a name (a token of at most 64 characters: no blank, quote or separator) and "=", is one,
 * so "no cookie: consent refused" stays, and a line of many "cookie:" is read once.
 */
const COOKIE = /(?<![A-Za-z0-9_-])((?:set-)?cookie)((?:\\?["'])?[ \t]*:[ \t]*)(?:(\\?["'])([^\s"'\\=;:,{}]{1,64}=[^"'\r\n\\]*)(\3)|([^\s"'\\=;:,{}]{1,64}=[^\r\n]*))/gi;

/**
 * An http(s) URL and the rest of it after its host: when the URL names a hook (Slack's
 * hooks.slack.com/services/..., Discord's /api/webhooks/..., a producer's /webhook?token=...),
 * its path is its secret.
 */
const URL_PATH = /\b(https?:\/\/[^\s/?#"'<>]+)([/?#][^\s"'<>]*)/gi;
/** A URL whose path is its secret: a hook's, or PagerDuty's events URL holding an integration key. */
const SECRET_URL = /hook|pagerduty\.com\/integration\//i;

/**
 * Text with its secrets masked as "***": PEM private key blocks, JSON Web Tokens, secrets with
 * published prefixes, Authorization header credentials, Cookie header values, secret key=value and key: value pairs and Bearer/Basic
 * credentials, webhook URLs' paths. Text with none of their marks is returned at once (an export calls this for
 * every value, a CLI for every log line).
 */
export function maskSecretsInText(text: string): string {
  const pem = text.includes('PRIVATE KEY-----');
  const jwt = text.includes('eyJ');
  const known = KNOWN_SECRET_START.test(text);
  const pairs = text.includes('=');
  const fields = text.includes(':') && SECRET_WORD.test(text);
  const authorization = text.length >= 14 && /authorization/i.test(text);
  const auth = AUTH_SCHEME.test(text);
  const hook = text.includes('://') && /hook|pagerduty/i.test(text);
  const integration = INTEGRATION_KEY_NAME.test(text);
  const cookie = pairs && /cookie/i.test(text);
  if (!pem && !jwt && !known && !pairs && !fields && !authorization && !auth && !hook && !integration) return text;
  let out = text;
  if (pem) out = maskPrivateKeys(out);
  if (jwt) out = out.replace(JWT, '***');
  if (known) out = out.replace(KNOWN_SECRET, '***');
  if (integration) out = out.replace(INTEGRATION_KEY, '$1***');
  if (authorization) out = out.replace(AUTHORIZATION, maskAuthorization);
  if (cookie) {
    out = out.replace(COOKIE, (_whole, name: string, separator: string, quote: string | undefined, _quoted, closing: string | undefined) =>
      quote !== undefined ? `${name}${separator}${quote}***${closing ?? ''}` : `${name}${separator}***`);
  }
  if (pairs) out = out.replace(SECRET_PARAM, maskSecretParam);
  if (fields) out = out.replace(SECRET_FIELD, maskSecretParam);
  if (auth) {
    out = out.replace(BEARER, '$1 ***');
    out = out.replace(BASIC, (whole, scheme: string, b64: string) => (Buffer.from(b64, 'base64').toString('latin1').includes(':') ? `${scheme} ***` : whole));
  }
  if (hook) out = out.replace(URL_PATH, (whole, origin: string, rest: string) => (SECRET_URL.test(whole) ? `${origin}/***` : `${origin}${rest}`));
  return out;
}
