import { OcxError } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createM2Client, type M2Client } from '../client.js';
import { type RunningHil, startHil } from '../test-support/start-hil.js';
import { createM2Simulator, type M2Simulator } from './m2-simulator.js';

// Repeated calls and names with shell metacharacters, as M2 (CCI-MOC/m2, the `ims` package)
// answers them. The stored sources predate create_disk/delete_disk (the reference's M2 @5b93852);
// those two follow the storage half of BMI.provision/deprovision in ims/einstein/operations.py
// @8a334df6, with the repeatable helpers ims/database/image.py @b95ce28 (ImageRepository),
// ims/einstein/ceph.py @abd3a6fc (RBD) and ims/einstein/iscsi/tgt.py @d657f07 (TGT), which
// tests/integration/einstein/test_state_operations.py exercises.

const alice = { username: 'alice', password: 'alice-simulator-password' };
const SHELL_NAME = `a;b|c&d$(e)\`f\`'g'"h" *<i>`;
let hil: RunningHil | undefined;
let m2: M2Simulator | undefined;
afterEach(async () => {
  await m2?.close();
  await hil?.close();
  m2 = undefined;
  hil = undefined;
});

async function start(nodes: string[] = ['node-01']): Promise<M2Client> {
  hil = await startHil('hil-simulator', {
    users: [{ ...alice, projects: ['genomics'] }],
    nodes: nodes.map((name, index) => ({
      name,
      project: 'genomics',
      nics: [{ label: 'eth0', macaddr: `AA:BB:CC:00:00:0${index + 1}` }],
    })),
  });
  m2 = await createM2Simulator({ hilUrl: hil.url, projects: ['genomics'], images: ['ubuntu-22.04'] });
  return createM2Client({ endpoint: m2.url, ...alice, project: 'genomics', retry: { retries: 0 } });
}

async function raw(path: string, method: string, form: Record<string, string>) {
  const response = await fetch(`${m2!.url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${alice.username}:${alice.password}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ project: 'genomics', ...form }).toString(),
  });
  return { status: response.status, text: await response.text() };
}

const failure = (promise: Promise<unknown>) => promise.catch((caught: unknown) => caught);

describe('M2 simulator: repeated calls answer as M2 does', () => {
  it('create_disk twice with the same image answers the same target (200): every step finds its work done', async () => {
    // Real: ImageRepository.insert lets a row of the same name and parent pass; RBD.clone lets an
    // existing clone of the same parent pass; TGT.add_target rewrites an existing target's config.
    // test_state_operations.py TestProvisionDBInserted/CloneDone/ISCSIDone expect 200.
    const client = await start();
    const first = await client.createDisk({ disk: 'd1', image: 'ubuntu-22.04' });
    expect(await raw('/create_disk', 'PUT', { disk_name: 'd1', img: 'ubuntu-22.04' })).toEqual({
      status: 200,
      text: JSON.stringify(first),
    });
    expect(await client.createDisk({ disk: 'd1', image: 'ubuntu-22.04' })).toBe(first);
    expect(m2!.images('genomics').map((image) => image.name)).toEqual(['ubuntu-22.04', 'd1']);
    expect([...m2!.targets]).toEqual([first]);
  });

  it('delete_disk twice: 404 "<disk> not found" the second time; the client says not-found', async () => {
    // Real: the row is looked up first (BMI.__get_ceph_image_name → ImageNotFoundException, 404,
    // "<name> not found"); test_state_operations.py TestDeprovisionDBDeleted expects 404.
    const client = await start();
    await client.createDisk({ disk: 'd1', image: 'ubuntu-22.04' });
    await client.deleteDisk({ disk: 'd1' });
    expect(await raw('/delete_disk', 'DELETE', { disk_name: 'd1' })).toEqual({ status: 404, text: 'd1 not found' });
    expect(await failure(client.deleteDisk({ disk: 'd1' }))).toMatchObject({
      code: 'not-found',
      status: 404,
      backendMessage: 'd1 not found',
    });
  });

  it('provision twice: 200 both times, the boot files written again (open(path, "w"))', async () => {
    // Real: BMI.__generate_ipxe_file / __generate_mac_addr_file open the files with 'w'.
    const client = await start();
    await client.createDisk({ disk: 'd1', image: 'ubuntu-22.04' });
    await client.provision({ node: 'node-01', disk: 'd1', nic: 'eth0' });
    const files = new Map(m2!.files);
    expect(await raw('/provision/', 'PUT', { node: 'node-01', disk_name: 'd1', nic: 'eth0' })).toEqual({
      status: 200,
      text: 'Success',
    });
    expect(new Map(m2!.files)).toEqual(files);
  });

  it('remove_image twice: 404 "<image> not found"; an image disks were cloned from is 500 "is Busy (Could have Clones)"', async () => {
    // Real: BMI.remove_image looks the row up first (404); then RBD.snap_unprotect of the image's
    // `snapshot` — which disks are clones of — fails with rbd.ImageBusy: ImageBusyException,
    // "<ceph name> is Busy (Could have Clones)", the name swapped in by BMI.__return_error.
    const client = await start();
    await client.createDisk({ disk: 'd1', image: 'ubuntu-22.04' });
    expect(await raw('/remove_image/', 'DELETE', { img: 'ubuntu-22.04' })).toEqual({
      status: 500,
      text: 'ubuntu-22.04 is Busy (Could have Clones)',
    });
    await client.deleteDisk({ disk: 'd1' });
    await client.removeImage({ image: 'ubuntu-22.04' });
    expect(await raw('/remove_image/', 'DELETE', { img: 'ubuntu-22.04' })).toEqual({
      status: 404,
      text: 'ubuntu-22.04 not found',
    });
  });

  it('remove_image of a disk: 404 "snapshot Not Found" (a disk holds no `snapshot` to unprotect)', async () => {
    // Real: BMI.remove_image → RBD.snap_unprotect(img, "snapshot"): not in the image's snapshots →
    // file_system_exceptions.ImageNotFoundException("snapshot"), 404 "snapshot Not Found".
    const client = await start();
    await client.createDisk({ disk: 'd1', image: 'ubuntu-22.04' });
    expect(await raw('/remove_image/', 'DELETE', { img: 'd1' })).toEqual({ status: 404, text: 'snapshot Not Found' });
    expect(m2!.images('genomics').map((image) => image.name)).toEqual(['ubuntu-22.04', 'd1']);
  });

  it('create_snapshot twice: 404 "<snap> Not Found", and the disk keeps a protected `snapshot` as M2 leaves it', async () => {
    // Real: BMI.create_snapshot snaps and protects the disk's `snapshot`, then inserts the row (the
    // same name and parent pass), then RBD.clone finds the name taken and asks the flattened
    // snapshot for its parent: rbd's ImageNotFound → ImageNotFoundException, 404 "<snap> Not Found".
    // Nothing is undone, so the disk holds its protected `snapshot` from then on: the next
    // create_snapshot of it fails in RBD.snap_image (500 "snapshot Already Exists") and delete_disk
    // in RBD.remove (rbd.ImageHasSnapshots: 500 "<disk> has Snapshots"), until remove_image, which
    // unprotects and removes it first, deletes the disk.
    const client = await start();
    await client.createDisk({ disk: 'd1', image: 'ubuntu-22.04' });
    await client.createSnapshot({ disk: 'd1', snapshot: 's1' });
    expect(await raw('/create_snapshot/', 'PUT', { disk_name: 'd1', snap_name: 's1' })).toEqual({
      status: 404,
      text: 's1 Not Found',
    });
    expect(await raw('/create_snapshot/', 'PUT', { disk_name: 'd1', snap_name: 's2' })).toEqual({
      status: 500,
      text: 'snapshot Already Exists',
    });
    expect(await failure(client.createSnapshot({ disk: 'd1', snapshot: 's2' }))).toMatchObject({
      code: 'conflict',
      status: 500,
      backendErrorType: 'file_system.ImageExistsException',
    });
    expect(await failure(client.deleteDisk({ disk: 'd1' }))).toMatchObject({
      code: 'http',
      status: 500,
      backendMessage: 'd1 has Snapshots',
      backendErrorType: 'file_system.ImageHasSnapshotException',
    });
    await client.removeImage({ image: 'd1' });
    expect(await client.listSnapshots()).toEqual([{ snapshot: 's1', parent: 'ubuntu-22.04' }]);
    expect(m2!.targets.size).toBe(0);
  });

  it('create_snapshot with the name of a disk of the same image: 500 "<name> Already Exists" (RBD.clone)', async () => {
    // Real: the insert passes (same parent), RBD.clone finds the name taken by a clone whose parent
    // is the image, not this disk: file_system_exceptions.ImageExistsException(<ceph name>).
    const client = await start();
    await client.createDisk({ disk: 'd1', image: 'ubuntu-22.04' });
    await client.createDisk({ disk: 'd2', image: 'ubuntu-22.04' });
    expect(await raw('/create_snapshot/', 'PUT', { disk_name: 'd1', snap_name: 'd2' })).toEqual({
      status: 500,
      text: 'd2 Already Exists',
    });
  });

  it('deprovision twice: the simulator answers 404 "<node> not provisioned" (see the README), which the Provisioner counts as done', async () => {
    const client = await start();
    await client.createDisk({ disk: 'd1', image: 'ubuntu-22.04' });
    await client.provision({ node: 'node-01', disk: 'd1', nic: 'eth0' });
    await client.deprovision({ node: 'node-01', nic: 'eth0' });
    expect(await raw('/deprovision/', 'DELETE', { node: 'node-01', nic: 'eth0' })).toEqual({
      status: 404,
      text: 'node-01 not provisioned',
    });
  });
});

describe('M2 simulator: names with shell metacharacters', () => {
  it('are names like any other: M2 validates none and builds no shell command from one', async () => {
    // Real: no name check in ims/picasso/rest.py `_rest_wrapper`, ims/rpc/server/rpc_server.py or
    // BMI (ims/einstein/operations.py). Names go to the database (SQLAlchemy parameters), to HIL
    // URLs and to TFTP file names; the shell commands — ims/common/shell.py `call` (no shell,
    // `command.split()`), TGT's `tgt-admin --delete <target>`, RBD.map/unmap (shell=True) — see only
    // the Ceph name `<uid>img<id>` and config values. So ";", "|", "$(…)", quotes and spaces pass.
    const client = await start([SHELL_NAME]);
    const target = await client.createDisk({ disk: SHELL_NAME, image: 'ubuntu-22.04' });
    expect(target).toMatch(/^7img\d+$/);
    await client.provision({ node: SHELL_NAME, disk: SHELL_NAME, nic: 'eth0' });
    expect(m2!.files.get(`${SHELL_NAME}.ipxe`)).toContain(`iqn.2015.${target}`);
    await client.createSnapshot({ disk: SHELL_NAME, snapshot: `${SHELL_NAME} snap` });
    expect(await client.listSnapshots()).toEqual([{ snapshot: `${SHELL_NAME} snap`, parent: 'ubuntu-22.04' }]);
    await client.deprovision({ node: SHELL_NAME, nic: 'eth0' });
    await client.deleteDisk({ disk: SHELL_NAME });
    await client.removeImage({ image: `${SHELL_NAME} snap` });
    expect(m2!.targets.size).toBe(0);
  });

  it('a node name with "/" sends M2 to another HIL path: HIL\'s HTML 404 makes M2 answer 500 "No JSON object could be decoded"', async () => {
    // Real: ims/einstein/hil.py `get_node_mac_addr` joins "node/" + node unescaped; HIL has no
    // route /v0/node/a/b (Werkzeug's HTML 404), and `obj.json()` raises ValueError, which the RPC
    // server answers 500 with str(e).
    await start(['a']);
    const answer = await raw('/provision/', 'PUT', { node: 'a/b', disk_name: 'd1', nic: 'eth0' });
    expect(answer).toEqual({ status: 500, text: 'No JSON object could be decoded' });
  });

  it('the client refuses the names M2 would send elsewhere before calling it: validation naming the field', async () => {
    const client = await start();
    for (const node of ['a/b', 'a?b', 'a#b', 'a%2Fb', 'a\nb']) {
      const error = await failure(client.provision({ node, disk: 'd1', nic: 'eth0' }));
      expect(OcxError.is(error)).toBe(true);
      expect(error).toMatchObject({ code: 'validation', operation: 'provision', issues: [{ path: 'node' }] });
    }
    expect(m2!.server.requests).toHaveLength(0);
  });
});
