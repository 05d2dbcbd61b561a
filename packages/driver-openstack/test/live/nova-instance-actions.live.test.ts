import { nercPriceList, rateInstanceActions } from '@ocx/billing';
import { Decimal } from '@ocx/core';
import { uniqueName } from '@ocx/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type NovaClient,
  type NovaInstanceActionRow,
  novaInstanceActionRows,
  type OpenStackDriver,
  parsePciAlias,
} from '../../src/index.js';
import { describeLive, liveDriver, liveEnv } from './live-env.js';
import { liveProject } from './live-project.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every action the billing rules know, on real servers of the real Nova (fake virt driver), then
 * the rows read back for a period that starts after one server was already deleted and one was
 * already stopped, and ends before one last action.
 *
 * What the fake driver does (nova/virt/fake.py, Zed): pause/unpause/suspend/resume are no-ops in
 * the driver, so Nova's compute manager moves the server through PAUSED/SUSPENDED as on a real
 * hypervisor and records the actions; resize/confirm/revert go through migrate_disk_and_power_off,
 * finish_migration, confirm_migration, finish_revert_migration (same host: the services set
 * `allow_resize_to_same_host`); shelve snapshots (fake) and offloads, unshelve spawns again.
 * Failed actions are real failures of Nova itself: a resize to a flavor bigger than the only host
 * (NoValidHost, the server stays ACTIVE) and a boot of a flavor asking for a PCI alias the host
 * has no device for (the compute's PCI claim fails; the server goes to ERROR).
 */
describeLive('openstack live: nova usage from instance actions', () => {
  let admin: OpenStackDriver;
  let project: Awaited<ReturnType<typeof liveProject>>;
  const flavors: string[] = [];
  const servers: string[] = [];
  beforeAll(async () => {
    admin = liveDriver();
    project = await liveProject(admin, 'live-actions');
  });
  afterAll(async () => {
    const nova = admin?.ext.nova;
    for (const id of servers) await nova?.deleteServer(id).catch(() => undefined);
    for (const id of servers) await nova?.waitForServerDeleted(id, { maxWaitMs: 30_000 }).catch(() => undefined);
    await project?.cleanup();
    for (const id of flavors) await nova?.deleteFlavor(id).catch(() => undefined);
    await admin?.dispose();
  });

  it('create/stop/start/suspend/resume/pause/unpause/resize+revert/resize+confirm/failed resize/shelve/unshelve/reboot/delete become rows; a failed GPU boot is an error row', {
    timeout: 420_000,
  }, async () => {
    const adminNova = admin.ext.nova!;
    const nova = project.scoped.ext.nova!;
    const tag = uniqueName('ia');
    const small = await adminNova.getFlavor(liveEnv.OCX_OS_FLAVOR_ID ?? '1');
    expect(small).toBeDefined();
    const bigger = await adminNova.createFlavor({ name: `${tag}-bigger`, vcpus: 2, ramMb: 1024, diskGb: 1 });
    flavors.push(bigger.id);
    // 20 GiB of RAM: inside the default quota (50 GiB), more than the fake host has (8 GiB × 1.5).
    const huge = await adminNova.createFlavor({ name: `${tag}-huge`, vcpus: 1, ramMb: 20_480, diskGb: 1 });
    flavors.push(huge.id);
    const gpu = await adminNova.createFlavor({
      name: `${tag}-gpu`,
      vcpus: 4,
      ramMb: 1024,
      diskGb: 1,
      extraSpecs: { 'pci_passthrough:alias': 'a100:2' },
    });
    flavors.push(gpu.id);
    // The extra spec as the real Nova stores and shows it (2.61 flavor show) parses into 2 × a100.
    expect(gpu.extra_specs).toEqual({ 'pci_passthrough:alias': 'a100:2' });
    expect(parsePciAlias(gpu.extra_specs?.['pci_passthrough:alias'], 'flavor')).toEqual({ type: 'a100', count: 2 });

    const boot = async (name: string, flavorRef: string) => {
      const server = await nova.createServer({ name: `${tag}-${name}`, imageRef: liveEnv.OCX_OS_IMAGE_ID!, flavorRef });
      servers.push(server.id);
      return server.id;
    };
    const act = async (id: string, action: Record<string, unknown>, status: string) => {
      await nova.serverAction(id, action);
      await nova.waitForServer(id, status);
      await settle(adminNova, id);
    };

    // Before the period: one server created and deleted (must not be selected), one created and stopped.
    const gone = await boot('gone', small!.id);
    await nova.waitForServer(gone, 'ACTIVE');
    await nova.deleteServer(gone);
    await nova.waitForServerDeleted(gone);
    const early = await boot('early', small!.id);
    await nova.waitForServer(early, 'ACTIVE');
    await act(early, { 'os-stop': null }, 'SHUTOFF');
    await sleep(1100);
    const periodStart = new Date();
    await sleep(1100);

    // Inside the period.
    const main = await boot('main', small!.id);
    await nova.waitForServer(main, 'ACTIVE');
    await settle(adminNova, main);
    await act(early, { 'os-start': null }, 'ACTIVE');
    await act(main, { 'os-stop': null }, 'SHUTOFF');
    await act(main, { 'os-start': null }, 'ACTIVE');
    await act(main, { suspend: null }, 'SUSPENDED');
    await act(main, { resume: null }, 'ACTIVE');
    await act(main, { pause: null }, 'PAUSED');
    await act(main, { unpause: null }, 'ACTIVE');
    await act(main, { resize: { flavorRef: bigger.id } }, 'VERIFY_RESIZE');
    await act(main, { revertResize: null }, 'ACTIVE');
    await act(main, { resize: { flavorRef: bigger.id } }, 'VERIFY_RESIZE');
    await act(main, { confirmResize: null }, 'ACTIVE');
    // No host can take 20 GiB: the scheduler finds none, the resize action fails, the server stays ACTIVE.
    await nova.serverAction(main, { resize: { flavorRef: huge.id } }).catch(() => undefined);
    await settle(adminNova, main);
    expect((await nova.getServer(main))?.status).toBe('ACTIVE');
    await act(main, { shelve: null }, 'SHELVED_OFFLOADED');
    await act(main, { unshelve: null }, 'ACTIVE');
    await act(main, { reboot: { type: 'SOFT' } }, 'ACTIVE');
    // A GPU flavor: the API takes the alias, the compute has no such device, the build fails.
    const gpuServer = await boot('gpu', gpu.id);
    await waitForStatus(adminNova, gpuServer, 'ERROR');
    await settle(adminNova, gpuServer);
    await nova.deleteServer(main);
    await nova.waitForServerDeleted(main);
    await settle(adminNova, main);
    await sleep(1100);
    const periodEnd = new Date();
    await sleep(1100);
    // After the period: does not count.
    await act(early, { 'os-stop': null }, 'SHUTOFF');

    const rows: NovaInstanceActionRow[] = [];
    for await (const row of novaInstanceActionRows(adminNova, {
      period: { start: periodStart, end: periodEnd },
      projects: [project.keystoneId],
    })) {
      rows.push(row);
    }
    const of = (id: string) => rows.filter((row) => row.instanceId === id);
    const brief = (id: string) => of(id).map((row) => `${row.event}:${row.result}`);

    expect(of(gone)).toEqual([]);
    // Its state at the start comes from the last action before it (stop); the stop after the end is left out.
    expect(brief(early)).toEqual(['stop:success', 'start:success']);
    expect(of(early)[0]!.timestamp.getTime()).toBeLessThan(periodStart.getTime());
    expect(brief(main)).toEqual([
      'create:success',
      'stop:success',
      'start:success',
      'suspend:success',
      'resume:success',
      'pause:success',
      'unpause:success',
      'resize:success',
      'revertResize:success',
      'resize:success',
      'confirmResize:success',
      'resize:error',
      'shelve:success',
      'unshelve:success',
      'reboot:success',
      'delete:success',
    ]);
    // The deleted server is found (deleted=true, changes-since) with its final flavor: the confirmed resize's.
    expect(of(main)[0]).toMatchObject({
      project: project.keystoneId,
      flavor: bigger.name,
      vcpus: 2,
      ramMb: 1024,
      gpus: 0,
    });
    expect(of(main)[0]!.gpuType).toBeUndefined();
    expect(brief(gpuServer)).toEqual(['create:error']);
    expect(of(gpuServer)[0]).toMatchObject({ flavor: gpu.name, vcpus: 4, ramMb: 1024, gpus: 2, gpuType: 'a100' });
    for (const row of rows) {
      expect(row.timestamp.getTime()).toBeLessThan(periodEnd.getTime());
      expect(Object.keys(row).sort()).toEqual(
        [
          'project',
          'instanceId',
          'flavor',
          'vcpus',
          'ramMb',
          'gpus',
          'event',
          'result',
          'timestamp',
          ...(row.gpuType === undefined ? [] : ['gpuType']),
        ].sort(),
      );
    }
    // Nothing but this project's four servers (minus the one gone before the period).
    expect(new Set(rows.map((row) => row.instanceId))).toEqual(new Set([early, main, gpuServer]));

    // The real rows, billed with NERC's rules (@ocx/billing), for exactly [periodStart, periodEnd):
    // - early: stopped at the start (its last action before it), billed as stopped from 2024-03,
    //   then started: some seconds > 0 → ceil once for the period → 1 h × floor(max(vcpus, ram/4096)).
    // - main: created, stopped, suspended, …, deleted inside: seconds > 0 → 1 h, all at the final
    //   flavor (the confirmed resize: 2 vCPU, 1024 MB → 2 SU) → 2 SU-h.
    // - the GPU server never left ERROR (create failed): no billed second, no GPU SU-hours.
    const billed = rateInstanceActions({
      priceList: nercPriceList(),
      period: { id: 'live', start: periodStart.toISOString(), end: periodEnd.toISOString() },
      actions: rows,
    });
    const smallSu = Math.floor(Math.max(small!.vcpus, small!.ram / 4096));
    const charge = (id: string) => billed.instances.filter((item) => item.instanceId === id);
    expect(charge(early).map((item) => [item.suType, item.serviceUnits, item.hours])).toEqual([
      ['CPU', String(smallSu), '1'],
    ]);
    expect(charge(main).map((item) => [item.suType, item.serviceUnits, item.hours])).toEqual([['CPU', '2', '1']]);
    expect(charge(gpuServer).every((item) => Decimal.from(item.suHours).isZero())).toBe(true);
    const cpu = billed.rows.filter((row) => row.project === project.keystoneId && row.suType === 'CPU');
    expect(cpu.map((row) => row.suHours)).toEqual([String(2 + smallSu)]);
    expect(cpu[0]!.cost).toBe(
      Decimal.from(cpu[0]!.rate)
        .multiply(Decimal.from(2 + smallSu))
        .toFixed(2, 'half-up'),
    );
    expect(billed.rows.filter((row) => row.suType !== 'CPU' && !Decimal.from(row.suHours).isZero())).toEqual([]);
  });
});

/** Wait until the server has no task and its newest action has finished every event. */
async function settle(nova: NovaClient, id: string): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt += 1) {
    const server = await nova.getServer(id).catch(() => undefined);
    const busy = server !== undefined && (server['OS-EXT-STS:task_state'] ?? null) !== null;
    let finished = false;
    for await (const action of nova.listInstanceActions(id)) {
      const detail = await nova.getInstanceAction(id, action.request_id);
      finished = detail.events.length > 0 && detail.events.every((event) => event.finish_time != null);
      break;
    }
    if (!busy && finished) return;
    await sleep(500);
  }
  throw new Error(`server ${id} never settled`);
}

async function waitForStatus(nova: NovaClient, id: string, status: string): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt += 1) {
    if ((await nova.getServer(id))?.status === status) return;
    await sleep(500);
  }
  throw new Error(`server ${id} never became ${status}`);
}
