export * from './eventTypes';
export * from './decode';
export { parseRfc3339, paymentDataSchema, riskDataSchema, envelopeSchema } from './schemas';
export type { PaymentData, RiskData } from './schemas';
