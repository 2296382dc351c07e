// A throwaway RabbitMQ user with a distinctive password, for tests that cut only their own
// connections (by user name) and that look for the password in every output and file.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface BrokerUser {
  name: string;
  password: string;
  url: string;
}

function rabbitmqctl(...args: string[]): string {
  return execFileSync('rabbitmqctl', args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `password`: one of your own (escaped in the URL as any URL escapes it); else distinctive and URL-safe. */
export function createBrokerUser(prefix: string, password = `Pw${randomBytes(12).toString('hex')}Zq`): BrokerUser {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  rabbitmqctl('add_user', name, password);
  grantBrokerUser(name);
  return { name, password, url: `amqp://${name}:${encodeURIComponent(password)}@127.0.0.1:5672` };
}

export function grantBrokerUser(name: string): void {
  rabbitmqctl('set_permissions', '-p', '/', name, '.*', '.*', '.*');
}

/** New connections of this user are refused until grantBrokerUser again. */
export function revokeBrokerUser(name: string): void {
  rabbitmqctl('clear_permissions', '-p', '/', name);
}

export function deleteBrokerUser(name: string): void {
  try {
    rabbitmqctl('delete_user', name);
  } catch {
    /* already gone */
  }
}

/** Closes every connection of this user (and only those); returns how many. */
export function closeConnectionsOf(name: string, reason = 'payops fault test'): number {
  const out = rabbitmqctl('list_connections', '-q', '--no-table-headers', 'pid', 'user');
  let closed = 0;
  for (const line of out.split('\n')) {
    const [pid, user] = line.trim().split(/\s+/);
    if (user === name && pid) {
      rabbitmqctl('close_connection', pid, reason);
      closed += 1;
    }
  }
  return closed;
}
