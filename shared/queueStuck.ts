// A stuck consumer in words: messages wait, consumers are attached, and the broker saw none of
// them delivered or acknowledged. Little's law has no delay to give then (nothing drains), and
// a dash would read as "unknown"; RabbitMQ's management UI and kafka-ui flag it instead.
import type { QueueRates } from './queueStats';

interface StuckJudged {
  type?: string | null;
  messages: number | null;
  consumers: number | null;
  rates?: QueueRates | null;
}

/** "stuck: 2 consumers, 0 delivered/s", or null when the queue is not judged stuck (or cannot be: no rates). */
export function stuckConsumerText(q: StuckJudged): string | null {
  // A stream keeps what it delivered: its count is retention, not messages waiting.
  if (q.type === 'stream' || !q.messages || !q.consumers) return null;
  if (q.rates?.deliver !== 0 || q.rates.ack !== 0) return null;
  return `stuck: ${q.consumers} consumer${q.consumers === 1 ? '' : 's'}, 0 delivered/s`;
}
