export type { DecimalString, RoundingMode } from './decimal.js';
export { Decimal } from './decimal.js';
