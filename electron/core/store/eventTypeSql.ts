// Thread: any (SQL text only).
// The event categories of shared/events/eventTypes.ts as SQL, for columns derived from the type.
import { PAYMENT_TYPES, RISK_TYPES } from '../../../shared/events/eventTypes';

const list = (types: readonly string[]): string => `(${types.map((t) => `'${t}'`).join(', ')})`;

export const PAYMENT_TYPES_SQL = list(PAYMENT_TYPES);
export const RISK_TYPES_SQL = list(RISK_TYPES);
/** The authorization attempts, as every rate, latency and per-payment count takes them. */
export const AUTHORIZATION_ATTEMPT_TYPES = ['payment.authorized', 'payment.declined', 'payment.failed'] as const;
export const AUTHORIZATION_ATTEMPTS_SQL = list(AUTHORIZATION_ATTEMPT_TYPES);
/** categoryOf(type) in SQL. */
export const EVENT_CATEGORY_SQL = `CASE WHEN type IN ${PAYMENT_TYPES_SQL} THEN 'payment' WHEN type IN ${RISK_TYPES_SQL} THEN 'risk' ELSE 'unknown' END`;
/** The stored routing key: the integer 0 stands for "the event's type". */
export const ROUTING_KEY_SQL = "CASE WHEN typeof(routing_key) = 'integer' THEN type ELSE routing_key END";
