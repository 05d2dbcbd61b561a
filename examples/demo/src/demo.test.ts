import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The README's demo, run as a user runs it (on the built packages), and checked for what each
 * issue asks it to show.
 */
describe('the demo', () => {
  it('assembles the whole exchange and ends by writing the bill, in under a minute', async () => {
    const started = Date.now();
    const { stdout } = await run(
      process.execPath,
      [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/main.ts'],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 120_000,
        maxBuffer: 20 * 1024 * 1024,
      },
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    // Landlords, the catalog with prices, events.
    expect(stdout).toMatch(/event landlord\.registered \{"landlord":"bu"/);
    expect(stdout).toMatch(/refused a second landlord "bu": conflict/);
    // A hostile Keystone redirecting the password login elsewhere, and an endless body: both refused.
    expect(stdout).toMatch(/Keystone login answered with a 307 to another host: refused \(protocol\)/);
    expect(stdout).toMatch(/a 3 GiB JSON body: refused \(protocol\)/);
    expect(stdout).toMatch(/requests that reached the other host: 0/);
    expect(stdout).toMatch(/Boston University\s+hil\s+bare-metal\s+hardware\s+1\.2\/node·h/);
    // Sign-up into two landlords' services.
    expect(stdout).toMatch(/nerc\/cloud\s+active/);
    expect(stdout).toMatch(/mghpcc\/objects\s+active/);
    // The enclave: one node quarantined with its reason, grow and shrink, a revocation.
    expect(stdout).toMatch(/quarantined moc-r4-n05: Invalid Quote: pcr_validation\.invalid_pcr_0/);
    expect(stdout).toMatch(/enclave degraded: 7 joined of 8 wanted/);
    expect(stdout).toMatch(/quarantined moc-r4-n\d\d: Invalid Quote: ima\.validation/);
    // Usage once, a bill, a balanced settlement, everything released.
    expect(stdout).toMatch(/the whole month collected again: 0 new records, \d+ already stored/);
    expect(stdout).toMatch(/bu\/hil node-hours\s+\d+\.\d\d node·h/);
    expect(stdout).toMatch(/invoice 2026-11\/bu\/genomics\/USD: finalized, total \d+\.\d\d USD/);
    expect(stdout).toMatch(/final settlement: invoiced (\S+) USD, settled \1, balanced: true/);
    expect(stdout).toMatch(/HIL free pool: 14 of 14 nodes/);
    // A month of Nova actions billed with NERC's rules: floor SUs, error and outage credit, cents per row.
    expect(stdout).toMatch(/vm-legacy\s+CPU\s+11 SU × 426 h = 4686 SU-h/);
    expect(stdout).toMatch(/2024-03,genomics,genomics,,stack,,,,N\/A,6146,OpenStack CPU,0\.013,79\.90/);
    expect(stdout).toMatch(/2024-03,genomics,genomics,,stack,,,,N\/A,58,OpenStack GPUA100,1\.803,104\.57/);
    // What an operator's Prometheus scrapes (@ocx/core/prometheus).
    expect(stdout).toMatch(/ocx_enclave_nodes\{enclave="genomics-enclave",project="genomics",state="joined"\} \d+/);
    expect(stdout).toMatch(/ocx_usage_quantity\{landlord="bu",service="hil",metric="node-hours"\} \d+/);
    // Split storage: neither landlord holds plaintext; both together give it back; one landlord twice is refused.
    expect(stdout).toMatch(/bu\s+holds\s+\d+ bytes in \d+ objects; plaintext in them: none/);
    expect(stdout).toMatch(/mghpcc\s+holds\s+\d+ bytes in \d+ objects; plaintext in them: none/);
    expect(stdout).toMatch(/read back from both: identical/);
    expect(stdout).toMatch(/refused two shares with one landlord: validation/);
    // Sign-in through the local identity provider, and the real services when they run here.
    expect(stdout).toMatch(/signed in Alice Smith <alice@bu\.edu> → user alice of Boston University/);
    expect(stdout).toMatch(/refused mallory@unknown\.example/);
    expect(stdout).toMatch(/8\. Real OpenStack and Ceph/);
    expect(stdout).toMatch(
      /booted [0-9a-f-]+ \(fake virt driver\), ACTIVE|openstack: not running here|openstack: not reachable/,
    );
    expect(stdout).toMatch(/wrote 3 objects|ceph: not running here|ceph: not reachable/);
    const bill = /The bill: (.+\.html)/.exec(stdout)?.[1];
    expect(bill !== undefined && existsSync(bill)).toBe(true);
    expect(readFileSync(bill as string, 'utf8')).toContain('Project summary bill');
  }, 120_000);
});
