// What a broker failure was, as its own error kind with a one-line hint: a broker that
// answers and refuses is not "cannot reach broker". The class names are the kinds that
// cross thread boundaries (consumer thread -> engine -> host) and that the CLI maps to exit
// codes (electron/cli/cliErrors.ts). Messages never carry a password (redactUrl, and
// RabbitMQ's own texts name no secret).
import { redactSecrets, redactUrl } from '../redact';

/** No answer (refused, timed out, DNS) after the retry budget. CLI exit 2. */
export class BrokerUnreachableError extends Error {}

/** 403 ACCESS_REFUSED: the login was refused, or the user lacks a permission. CLI exit 5. */
export class BrokerAccessRefusedError extends Error {}

/** 530 NOT_ALLOWED on connection.open: no such vhost, or not for this user. CLI exit 6. */
export class BrokerVhostError extends Error {}

/** 406 PRECONDITION_FAILED on declare: the queue or exchange exists with other arguments. CLI exit 7. */
export class BrokerTopologyError extends Error {}

const INEQUIVALENT = /inequivalent arg '([^']+)' for (queue|exchange) '([^']+)' in vhost '[^']*': received (.+?) but current is (.+?)"?$/;

/** RabbitMQ's "none", "'x'" or "the value 'x' of type 'longstr'" as the bare value. */
function argValue(text: string): string {
  const quoted = /'([^']*)'/.exec(text);
  return quoted ? quoted[1] : text.trim();
}

function vhostOf(url: string): string {
  try {
    const p = new URL(url).pathname;
    return p === '' || p === '/' ? '/' : decodeURIComponent(p.slice(1));
  } catch {
    return '/';
  }
}

/**
 * The named refusal in `err` (a connect or declare failure), or null when the broker did
 * not refuse anything we can name (then the caller retries or reports it unreachable).
 */
export function brokerRefusal(err: unknown, url: string): Error | null {
  const raw = err instanceof Error ? err.message : String(err);
  const text = redactSecrets(raw);
  const where = redactUrl(url);
  if (/ACCESS[-_]REFUSED/.test(raw)) {
    // RabbitMQ refuses these names to everyone: a wrong --exchange, not a missing permission.
    const reserved = /exchange name '([^']*)' contains reserved prefix 'amq\.\*'/.exec(raw);
    if (reserved) {
      return new BrokerTopologyError(`exchange name ${reserved[1]} is reserved by RabbitMQ (amq.*): only the broker's own amq.* exchanges exist; use another --exchange`);
    }
    if (/not permitted on the default exchange/.test(raw)) {
      return new BrokerTopologyError('the default exchange ("") cannot be declared or bound: give --exchange the name of a topic exchange');
    }
    if (/Login was refused/i.test(raw)) {
      return new BrokerAccessRefusedError(
        `broker ${where} refused the login (403 ACCESS_REFUSED): check the user and password in the URL or PAYOPS_AMQP_URL`,
      );
    }
    return new BrokerAccessRefusedError(`broker ${where} refused access (403 ACCESS_REFUSED): ${text}; ask for permissions on the vhost, or use another user`);
  }
  // amqplib drops the reply text of a refused connection.open ("got <ConnectionClose"), and
  // RabbitMQ refuses that step only for the vhost: unknown, or not permitted to this user.
  if (/Expected ConnectionOpenOk; got <ConnectionClose/.test(raw) || /NOT[-_]ALLOWED.*vhost/i.test(raw)) {
    const vhost = vhostOf(url);
    return new BrokerVhostError(
      `broker ${where} refused vhost "${vhost}" (530 NOT_ALLOWED: it does not exist, or this user may not use it): use an existing vhost as the URL's path (amqp://host:5672/NAME; "/" is the default)`,
    );
  }
  if (/PRECONDITION[-_]FAILED/.test(raw)) {
    // A stream offset asked of a queue that is not a stream (replay --from-stream of a classic queue).
    const notStream = /invalid arg 'x-stream-offset' for queue '([^']+)' in vhost '[^']*' of queue type rabbit_(\w+)_queue/.exec(raw);
    if (notStream) return new BrokerTopologyError(`queue ${notStream[1]} is a ${notStream[2]} queue, not a stream: reading from a stream offset needs a stream queue`);
    const m = INEQUIVALENT.exec(raw);
    if (!m) return new BrokerTopologyError(`broker ${where} refused a declaration (406 PRECONDITION_FAILED): ${text}`);
    const [, arg, what, name] = m;
    const received = argValue(m[4]);
    const current = argValue(m[5]);
    if (what === 'queue' && arg === 'x-queue-type') {
      const type = current === 'none' ? 'classic' : current;
      return new BrokerTopologyError(`queue ${name} exists with x-queue-type=${type}; use --queue-type ${type} or another --queue`);
    }
    if (what === 'queue' && arg === 'x-expires') {
      const hours = current === 'none' ? '0' : String(Number(current) / 3_600_000);
      return new BrokerTopologyError(`queue ${name} exists with x-expires=${current === 'none' ? 'none' : `${current} ms`}; use --queue-expires ${hours} (hours) or another --queue`);
    }
    if (what === 'exchange' && arg === 'type') {
      return new BrokerTopologyError(`exchange ${name} exists with type ${current}; use --exchange-type ${current} or another --exchange`);
    }
    return new BrokerTopologyError(`${what} ${name} exists with ${arg}=${current} (payops declares ${received}); use another --${what} or delete that ${what}`);
  }
  return null;
}
