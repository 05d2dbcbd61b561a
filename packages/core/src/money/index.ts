export { Decimal } from './decimal.js';
export type { DecimalString, RoundingMode } from './decimal.js';
