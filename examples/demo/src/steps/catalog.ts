import type { Exchange } from '@ocx/core';
import { heading, table } from '../console.js';

/** Print the catalog: which services of which kind, from whom, at what price. */
export function showCatalog(exchange: Exchange): void {
  heading('2. The catalog: which services, from whom, at what price');
  table(
    ['landlord', 'service', 'kind', 'capabilities', 'list prices (USD)'],
    exchange.catalog.find().map((entry) => [
      entry.landlord.name,
      entry.service.id,
      entry.service.kind,
      entry.capabilities.join(', '),
      (entry.priceList?.rates ?? [])
        .slice(0, 3)
        .map((rate) => `${rate.unitPrice}/${rate.unit}`)
        .join('  '),
    ]),
  );
  const cheap = exchange.catalog.find({ metric: 'vcpu-hours', maxUnitPrice: '0.015' });
  process.stdout.write(
    `\n  vCPU-hours at most $0.015: ${cheap.map((entry) => `${entry.landlord.id}/${entry.service.id}`).join(', ') || 'none'}\n`,
  );
}
