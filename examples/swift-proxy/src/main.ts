/**
 * Run the Swift-merging proxy: `pnpm --filter @ocx/example-swift-proxy start`.
 *
 * With two Swifts from `scripts/services/swift.sh` running (their env files, or OCX_SWIFT_<NAME>_*
 * variables), it merges the first two; otherwise it starts two fake Swifts with sample containers so
 * the proxy can be tried anyway. `SWIFT_PROXY_PORT` picks the port (default 8099), `SWIFT_PROXY_TOKEN`
 * makes clients send that token as X-Auth-Token. It listens on 127.0.0.1 only.
 */
import { consoleLogger } from '@ocx/core';
import { createFakeSwift, type FakeSwift } from './fake-swift.js';
import { localSwifts } from './local-swifts.js';
import type { SwiftProxyOptions } from './proxy-options.js';
import { createSwiftProxy } from './swift-proxy.js';

async function landlords(): Promise<{ landlords: SwiftProxyOptions['landlords']; fakes: FakeSwift[] }> {
  const found = localSwifts().slice(0, 2);
  if (found.length === 2) {
    console.log(
      `Merging the local Swifts ${found.map((swift) => swift.name).join(' and ')} (scripts/services/swift.sh).`,
    );
    return {
      fakes: [],
      landlords: found.map((swift) => ({
        id: `landlord-${swift.name.toLowerCase()}`,
        storageUrl: `${swift.url}/v1/${swift.account}`,
        auth: { kind: 'tempauth' as const, authUrl: swift.authUrl, user: swift.user, key: swift.key },
      })),
    };
  }
  console.log('No two local Swifts found (scripts/services/swift.sh): starting two fake ones with sample containers.');
  const fakes = [
    await createFakeSwift({
      account: { apple: { 'a.txt': { bytes: 5 } }, z: {}, '😀': {}, shared: { 'x.bin': { bytes: 100 } } },
    }),
    await createFakeSwift({ account: { é: {}, Zebra: { 'b.txt': { bytes: 7 } }, shared: { 'y.bin': { bytes: 50 } } } }),
  ];
  return {
    fakes,
    landlords: fakes.map((fake, index) => ({
      id: `landlord-${index === 0 ? 'a' : 'b'}`,
      storageUrl: fake.storageUrl,
      auth: { kind: 'tempauth' as const, authUrl: fake.authUrl, user: fake.user, key: fake.key },
    })),
  };
}

const { landlords: configured, fakes } = await landlords();
const token = process.env.SWIFT_PROXY_TOKEN;
const proxy = await createSwiftProxy({
  landlords: configured,
  port: Number(process.env.SWIFT_PROXY_PORT ?? 8099),
  logger: consoleLogger('warn'),
  ...(token === undefined ? {} : { clientToken: token }),
});
const auth = token === undefined ? '' : ' -H "X-Auth-Token: $SWIFT_PROXY_TOKEN"';
console.log(`Swift proxy for ${configured.map((landlord) => landlord.id).join(', ')} at ${proxy.storageUrl}
  curl${auth} '${proxy.storageUrl}?format=json'             merged container listing
  curl${auth} '${proxy.storageUrl}?limit=2&marker=apple'    the next page after "apple"
  curl${auth} -I '${proxy.storageUrl}'                      summed account usage
  curl${auth} '${proxy.storageUrl}?format=ocx'              listing with partial-result details
Ctrl-C stops it.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (async () => {
      await proxy.close();
      await Promise.all(fakes.map((fake) => fake.close()));
      process.exit(0);
    })();
  });
}
