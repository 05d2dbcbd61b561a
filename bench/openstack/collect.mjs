/**
 * One measured collection (its own process, so its peak RSS is its own): collect the compute
 * meter of the driver for one hour against the bench server, and print one JSON line.
 * argv: <dist entry> <server url> <servers>
 */
const [distEntry, url, servers] = process.argv.slice(2);
const { createOpenStackDriver } = await import(distEntry);

const HOUR = 3_600_000;
const end = Math.floor(Date.now() / HOUR) * HOUR;
const driver = createOpenStackDriver({
  auth: { url: `${url}/identity/v3`, username: 'admin', password: 'bench-password-not-secret', project: 'admin' },
  landlord: 'bench-landlord',
  service: 'openstack',
  services: ['nova'],
  pageSize: 1000,
});
const [meter] = driver.meters;
const started = performance.now();
let records = 0;
// vCPU-hours summed exactly from the decimal strings, scaled to integers (6 decimals at most).
let vcpuMicroHours = 0n;
for await (const record of meter.collect({
  start: new Date(end - HOUR).toISOString(),
  end: new Date(end).toISOString(),
})) {
  records += 1;
  if (record.metric === 'vcpu-hours') {
    const [whole, fraction = ''] = record.quantity.split('.');
    vcpuMicroHours += BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
  }
}
const wallMs = performance.now() - started;
await driver.dispose();
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ servers: Number(servers), records, wallMs, peakRssMb, vcpuHours: (vcpuMicroHours / 1_000_000n).toString() })}\n`,
);
