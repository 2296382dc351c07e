import amqp from 'amqplib';
import { amqpConnect } from './amqpConnect';
import type { ConnectionTestResult } from '../../../shared/api';
import type { BrokerConfig } from './brokerConfig';
import { safeErrorMessage } from '../redact';
import { brokerRefusal } from './brokerErrors';
import { validateBrokerUrl } from './brokerUrl';

/** Connects once, reads the server version and checks the exchange exists; never declares anything. */
export async function testBrokerConnection(config: BrokerConfig, timeoutMs = 5000): Promise<ConnectionTestResult> {
  const started = Date.now();
  let conn: amqp.ChannelModel | null = null;
  try {
    validateBrokerUrl(config.url);
    conn = await amqpConnect(config.url, { timeout: timeoutMs });
    conn.on('error', () => undefined);
    const latencyMs = Date.now() - started;
    const props = (conn.connection as unknown as { serverProperties?: Record<string, unknown> }).serverProperties ?? {};
    const serverVersion = props.version ? `${String(props.product ?? 'broker')} ${String(props.version)}` : null;
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    try {
      await ch.checkExchange(config.exchange);
    } catch {
      return { ok: true, latencyMs, serverVersion, message: `connected; exchange "${config.exchange}" does not exist yet (it will be declared on connect)` };
    }
    return { ok: true, latencyMs, serverVersion, message: `connected; exchange "${config.exchange}" exists` };
  } catch (err) {
    return { ok: false, latencyMs: null, serverVersion: null, message: brokerRefusal(err, config.url)?.message ?? safeErrorMessage(err) };
  } finally {
    await conn?.close().catch(() => undefined);
  }
}
