/**
 * `@ocx/example-quota-bot`: a bot on the exchange's events and usage ledger that warns projects
 * nearing their quotas or spend limits and reclaims idle enclave nodes.
 * @packageDocumentation
 */
export { billingMonth } from './billing-month.js';
export type { CheckReport } from './bot-context.js';
export type { IdleFinding, IdleRules } from './idle-enclaves.js';
export { findIdleEnclaves } from './idle-enclaves.js';
export type { IdleAction, IdleNotice, NoticeLevel, QuotaBotNotice, QuotaNotice, SpendNotice } from './notice.js';
export { QUOTA_BOT_PRINCIPAL } from './notice.js';
export { NoticeMemory } from './notice-memory.js';
export type { UnitPrice } from './price-table.js';
export { PriceTable } from './price-table.js';
export type { ProjectSpend } from './project-spend.js';
export { projectSpend } from './project-spend.js';
export type { QuotaBot } from './quota-bot.js';
export { createQuotaBot } from './quota-bot.js';
export type { QuotaBotOptions, QuotaBotPolicy } from './quota-bot-options.js';
export { QuotaBotPolicySchema } from './quota-bot-options.js';
export type { QuotaTarget } from './quota-targets.js';
export { quotaTargets } from './quota-targets.js';
export { reclaimIdleEnclaves } from './reclaim-idle.js';
export type { ThresholdLevel } from './threshold.js';
export { levelFor, percentOf } from './threshold.js';
