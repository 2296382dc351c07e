import { InvalidArgumentError, type Command } from 'commander';
import type { MetricsPublishConfig } from '../core/metricsStream/metricsStreamConfig';
import { checkMaxAge, DEFAULT_STREAM_RETENTION } from '../core/metricsStream/streamQueue';
import { positiveInt } from './cliOptions';

export interface MetricsPublishFlags {
  publishMetrics?: string;
  metricsMaxAge: string;
  metricsMaxBytes: number;
}

function maxAgeFlag(value: string): string {
  try {
    return checkMaxAge(value);
  } catch (err) {
    throw new InvalidArgumentError(`--metrics-max-age: ${(err as Error).message}`);
  }
}

/** `--publish-metrics STREAM` and the stream's retention (collect; a console profile has the same). */
export function addMetricsPublishFlags(cmd: Command): Command {
  return cmd
    .option('--publish-metrics <stream>', 'after each committed batch, publish the metrics stream (per-second rollups, queue samples, alert history) to this RabbitMQ stream queue, with confirms')
    .option('--metrics-max-age <age>', 'the metrics stream keeps this long (x-max-age: 7D, 12h ...)', maxAgeFlag, DEFAULT_STREAM_RETENTION.maxAge)
    .option('--metrics-max-bytes <n>', 'and at most this many bytes (x-max-length-bytes)', positiveInt('--metrics-max-bytes'), DEFAULT_STREAM_RETENTION.maxLengthBytes);
}

export function metricsPublishConfigFrom(flags: MetricsPublishFlags): MetricsPublishConfig | undefined {
  if (!flags.publishMetrics) return undefined;
  return { stream: flags.publishMetrics, retention: { maxAge: flags.metricsMaxAge, maxLengthBytes: flags.metricsMaxBytes } };
}
