import { describe, expect, it } from 'vitest';
import { BrokerAccessRefusedError, BrokerTopologyError, brokerRefusal } from './brokerErrors';

const URL = 'amqp://guest:secret@127.0.0.1:5672';
// RabbitMQ's texts as amqplib reports them (collect --exchange '' and --exchange amq.bogus).
const refused = (message: string) => new Error(`Operation failed: ExchangeDeclare; 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - ${message}"`);

describe('brokerRefusal', () => {
  it('names an exchange name the broker reserves as the problem, not the user permissions', () => {
    const reserved = brokerRefusal(refused("exchange name 'amq.bogus' contains reserved prefix 'amq.*'"), URL);
    expect(reserved).toBeInstanceOf(BrokerTopologyError);
    expect(reserved?.message).toMatch(/exchange name amq\.bogus is reserved by RabbitMQ \(amq\.\*\).*--exchange/);
    expect(reserved?.message).not.toMatch(/permission|another user/);
    const defaultExchange = brokerRefusal(refused('operation not permitted on the default exchange'), URL);
    expect(defaultExchange).toBeInstanceOf(BrokerTopologyError);
    expect(defaultExchange?.message).toMatch(/default exchange \(""\).*--exchange/);
  });
  it('still reads a refused permission as one, without the password', () => {
    const denied = brokerRefusal(refused("access to exchange 'payments' in vhost '/' refused for user 'guest'"), URL);
    expect(denied).toBeInstanceOf(BrokerAccessRefusedError);
    expect(denied?.message).toMatch(/ask for permissions/);
    expect(denied?.message).not.toMatch(/secret/);
  });
});
