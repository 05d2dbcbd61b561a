import { OcxError } from '@ocx/core';
import { expectOcxError } from '@ocx/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createM2TestBed, type M2TestBed } from './test-support/m2-test-bed.js';

const target = { project: 'genomics', node: 'node-01', nic: 'eth0', image: 'ubuntu-22.04' };
const defaultDisk = 'genomics-node-01';

let bed: M2TestBed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

async function start(options?: { retries?: number; timeoutMs?: number }): Promise<M2TestBed> {
  bed = await createM2TestBed(options);
  return bed;
}

/** Nothing of the node's provisioning is left in M2: no disk, no target, no boot files. */
function expectNothingLeft(world: M2TestBed): void {
  expect(world.disks()).toEqual([]);
  expect([...world.m2.targets]).toEqual([]);
  expect([...world.m2.files.keys()]).toEqual([]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait (up to 5 s) for something the simulator does late, without a fixed sleep that a busy machine outruns. */
async function eventually(check: () => boolean): Promise<void> {
  for (let waited = 0; !check() && waited < 5_000; waited += 20) await sleep(20);
}

describe('provision: faults at create_disk', () => {
  it('a 500 from M2 provisions nothing and says so', async () => {
    const world = await start();
    world.m2.server.inject(
      { kind: 'status', status: 500, body: 'Not Able to Connect to File System' },
      { method: 'PUT', path: '/create_disk' },
    );
    const error = await expectOcxError(world.driver.provisioner.provision(target), ['http']);
    expect(error).toMatchObject({
      status: 500,
      backend: 'm2',
      operation: 'create_disk',
      backendMessage: 'Not Able to Connect to File System',
    });
    expect(error.message).toContain('provision failed at create_disk');
    expect(world.m2.server.requests.map((request) => request.path)).not.toContain('/provision/');
    expectNothingLeft(world);
  });

  it('a disk name the caller chose, taken by a disk of another image, is a conflict; that disk is left alone', async () => {
    // Real: ImageRepository.insert (ims/database/image.py) raises ImageExistsException (500) only
    // when the existing row's parent differs.
    const world = await start();
    await world.driver.ext.createDisk({ disk: 'shared-disk', image: 'centos-7' });
    const error = await expectOcxError(world.driver.provisioner.provision({ ...target, disk: 'shared-disk' }), [
      'conflict',
    ]);
    expect(error).toMatchObject({ status: 500, backendErrorType: 'ImageExistsException' });
    expect(error.backendMessage).toBe('shared-disk already exists');
    expect(world.disks()).toEqual(['shared-disk']);
    expect([...world.m2.files.keys()]).toEqual([]);
  });

  it('the default disk made from another image is a conflict too: it is not booted in place of this image', async () => {
    const world = await start();
    await world.driver.ext.createDisk({ disk: defaultDisk, image: 'centos-7' });
    const error = await expectOcxError(world.driver.provisioner.provision(target), ['conflict']);
    expect(error.backendMessage).toBe(`${defaultDisk} already exists`);
    expect(world.disks()).toEqual([defaultDisk]);
    expect([...world.m2.files.keys()]).toEqual([]);
  });

  it("the node's disk of the same image, left by an earlier attempt, is used: M2 answers the same target again", async () => {
    // Real: create_disk repeated finds its row, clone and target done (same parent) and answers 200.
    const world = await start();
    const made = await world.driver.ext.createDisk({ disk: defaultDisk, image: 'ubuntu-22.04' });
    const result = await world.driver.provisioner.provision(target);
    expect(result).toEqual({ disk: defaultDisk, target: made });
    expect(world.m2.boots.get('node-01')?.disk).toBe(defaultDisk);
    expect(world.disks()).toEqual([defaultDisk]);
  });

  it('an answer lost after M2 made the disk is retried, and the retry answers the same target', async () => {
    const world = await start();
    world.proxy.loseAnswer('PUT', '/create_disk');
    const result = await world.driver.provisioner.provision(target);
    expect(result.disk).toBe(defaultDisk);
    expect(world.disks()).toEqual([defaultDisk]);
    expect(world.m2.boots.get('node-01')?.disk).toBe(defaultDisk);
  });

  it('with a disk name the caller chose, a lost answer is retried as well, and deprovision cleans up', async () => {
    const world = await start();
    world.proxy.loseAnswer('PUT', '/create_disk');
    const result = await world.driver.provisioner.provision({ ...target, disk: 'my-disk' });
    expect(result.disk).toBe('my-disk');
    expect(world.disks()).toEqual(['my-disk']);
    await world.driver.provisioner.deprovision({ ...target, disk: 'my-disk' });
    expectNothingLeft(world);
  });

  it('connection resets on every attempt give a network error that warns the disk may exist', async () => {
    const world = await start({ retries: 1 });
    world.m2.server.inject({ kind: 'reset', times: 2 }, { method: 'PUT', path: '/create_disk' });
    const error = await expectOcxError(world.driver.provisioner.provision(target), ['network']);
    expect(error.attempts).toBe(2);
    expect(error.message).toContain(`disk ${defaultDisk} may have been created`);
    expect(error.message).toContain('Call deprovision');
    expectNothingLeft(world);
  });

  it('a timeout after which M2 still made the disk is reported, and deprovision cleans it up', async () => {
    const world = await start({ retries: 0, timeoutMs: 150 });
    // The delay is M2's own: the request has reached it, and it acts after the client gave up.
    world.m2.server.inject({ kind: 'latency', ms: 400 }, { method: 'PUT', path: '/create_disk' });
    const error = await expectOcxError(world.driver.provisioner.provision(target), ['timeout']);
    expect(error.message).toContain(`disk ${defaultDisk} may have been created`);
    await eventually(() => world.disks().length > 0);
    expect(world.disks()).toEqual([defaultDisk]);
    await world.driver.provisioner.deprovision({ ...target, disk: defaultDisk });
    expectNothingLeft(world);
  });
});

describe('provision: faults at the provision step roll create_disk back', () => {
  it('a 500 from M2 deletes the disk it just made', async () => {
    const world = await start();
    world.m2.server.inject(
      { kind: 'status', status: 500, body: 'Couldnt connect to HIL' },
      { method: 'PUT', path: '/provision/' },
    );
    const error = await expectOcxError(world.driver.provisioner.provision(target), ['http']);
    expect(error).toMatchObject({ status: 500, operation: 'provision', backendErrorType: 'hil.ConnectionException' });
    expect(error.message).toContain(`Rolled back: disk ${defaultDisk} was deleted`);
    expectNothingLeft(world);
  });

  it('a 409 from a proxy in between is reported as a conflict and rolled back', async () => {
    const world = await start();
    world.m2.server.inject({ kind: 'status', status: 409, body: 'busy' }, { method: 'PUT', path: '/provision/' });
    await expectOcxError(world.driver.provisioner.provision(target), ['conflict']);
    expectNothingLeft(world);
  });

  it('HIL being down (M2 cannot look up the MAC) rolls back', async () => {
    const world = await start();
    await world.hil.close();
    const error = await expectOcxError(world.driver.provisioner.provision(target), ['http']);
    expect(error.backendMessage).toBe('Couldnt connect to HIL');
    expectNothingLeft(world);
  });

  it('an answer lost on every attempt, after M2 wrote the boot files, removes the files and the disk', async () => {
    const world = await start({ retries: 1 });
    world.proxy.loseAnswer('PUT', '/provision/', 2);
    const error = await expectOcxError(world.driver.provisioner.provision(target), ['network']);
    expect(error.message).toContain('the boot files of node node-01 were removed');
    expect(error.message).toContain(`disk ${defaultDisk} was deleted`);
    expectNothingLeft(world);
  });

  it('a caller abort during the provision step still rolls back', async () => {
    const world = await start();
    // M2 holds the provision request long enough for the rollback to finish first.
    world.m2.server.inject({ kind: 'latency', ms: 1_000 }, { method: 'PUT', path: '/provision/' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('caller gave up')), 100);
    await expectOcxError(world.driver.provisioner.provision(target, { signal: controller.signal }), ['aborted']);
    expectNothingLeft(world);
    // Then the delayed provision reaches M2's handler: it finds the disk gone and writes nothing.
    const handled = () =>
      world.hil.server.requests.filter((request) => request.path === '/v0/node/node-01').length >= 2;
    await eventually(handled);
    expect(handled()).toBe(true);
    await sleep(50);
    expectNothingLeft(world);
  });

  it('when the rollback cannot delete the disk either, the error names what is left and deprovision removes it', async () => {
    const world = await start();
    world.m2.server.inject(
      { kind: 'status', status: 500, body: 'Couldnt connect to HIL' },
      { method: 'PUT', path: '/provision/' },
    );
    world.m2.server.inject(
      { kind: 'status', status: 500, body: 'Target Deletion Failed with error tgtd' },
      { method: 'DELETE', path: '/delete_disk' },
    );
    const error = await expectOcxError(world.driver.provisioner.provision(target), ['http']);
    expect(error.message).toContain(`Left behind: disk ${defaultDisk} could not be deleted`);
    expect(world.disks()).toEqual([defaultDisk]);
    await world.driver.provisioner.deprovision({ ...target, disk: defaultDisk });
    expectNothingLeft(world);
  });
});

describe("provision: answers that are not M2's", () => {
  const malformed: Array<[string, string, string, string[]]> = [
    ['an HTML page', 'text/html', '<html><head><title>502 Bad Gateway</title></head></html>', ['protocol']],
    ['an empty body', 'text/html; charset=utf-8', '', ['validation']],
    ['JSON of the wrong shape', 'application/json', '{"target":"7img1"}', ['validation']],
  ];
  for (const [what, contentType, body, codes] of malformed) {
    it(`create_disk answering 200 with ${what} is a typed error naming m2 and create_disk`, async () => {
      const world = await start();
      world.m2.server.route('PUT', '/create_disk', (_request, response) => {
        response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
        response.end(body);
      });
      const error = await expectOcxError(world.driver.provisioner.provision(target), codes as never);
      expect(error).toMatchObject({ backend: 'm2', operation: 'create_disk' });
      expect(error.message).toContain('m2');
      expect(error.message).toContain('create_disk');
    });

    it(`provision answering 200 with ${what} is a protocol error naming m2 and provision, and rolls back`, async () => {
      const world = await start();
      world.m2.server.route('PUT', '/provision/', (_request, response) => {
        response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
        response.end(body);
      });
      const error = await expectOcxError(world.driver.provisioner.provision(target), ['protocol']);
      expect(error).toMatchObject({ backend: 'm2', operation: 'provision' });
      expectNothingLeft(world);
    });
  }

  it('list_images answering with JSON of the wrong shape is a validation error from m2', async () => {
    const world = await start();
    world.m2.server.route('POST', '/list_images/', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('{"images": ["ubuntu-22.04"]}');
    });
    const error = await expectOcxError(world.driver.provisioner.listImages('genomics'), ['validation']);
    expect(error).toMatchObject({ backend: 'm2', operation: 'list_images', fault: 'server' });
  });

  it('a truncated answer is a typed error, retried as a network failure', async () => {
    const world = await start({ retries: 1 });
    world.m2.server.inject(
      { kind: 'truncate', body: '["ubuntu-22.04", "centos-7"]', times: 2 },
      { path: '/list_images/' },
    );
    const error = await expectOcxError(world.driver.provisioner.listImages('genomics'), ['network', 'protocol']);
    expect(error.backend).toBe('m2');
  });
});

describe('deprovision', () => {
  it("is idempotent: M2's 404s for the boot files and the disk count as done", async () => {
    const world = await start();
    const { disk } = await world.driver.provisioner.provision(target);
    await world.driver.provisioner.deprovision({ ...target, disk });
    await world.driver.provisioner.deprovision({ ...target, disk });
    expectNothingLeft(world);
  });

  it('a boot file already removed (M2\'s 500 "[Errno 2] No such file or directory") counts as done too', async () => {
    // Real: M2 removes the TFTP files with os.remove; an OSError escaping the operation is answered
    // 500 with str(e) by ims/rpc/server/rpc_server.py MainServer.execute_command.
    const world = await start();
    const { disk } = await world.driver.provisioner.provision(target);
    world.m2.server.inject(
      {
        kind: 'status',
        status: 500,
        body: "[Errno 2] No such file or directory: '/var/lib/tftpboot/pxelinux.cfg/01-aa-bb-cc-00-00-01'",
      },
      { method: 'DELETE', path: '/deprovision/' },
    );
    await world.driver.provisioner.deprovision({ ...target, disk });
    expect(world.disks()).toEqual([]);
  });

  it('stops before deleting the disk when the boot files cannot be removed, and a retry finishes', async () => {
    const world = await start();
    const { disk } = await world.driver.provisioner.provision(target);
    world.m2.server.inject(
      { kind: 'status', status: 500, body: 'Couldnt connect to HIL' },
      { method: 'DELETE', path: '/deprovision/' },
    );
    await expectOcxError(world.driver.provisioner.deprovision({ ...target, disk }), ['http']);
    expect(world.disks()).toEqual([disk]);
    expect(world.m2.boots.has('node-01')).toBe(true);
    await world.driver.provisioner.deprovision({ ...target, disk });
    expectNothingLeft(world);
  });

  it('a delete_disk timeout is reported, and deprovision again completes', async () => {
    const world = await start({ retries: 0, timeoutMs: 150 });
    const { disk } = await world.driver.provisioner.provision(target);
    world.m2.server.inject({ kind: 'hang' }, { method: 'DELETE', path: '/delete_disk' });
    await expectOcxError(world.driver.provisioner.deprovision({ ...target, disk }), ['timeout']);
    await world.driver.provisioner.deprovision({ ...target, disk });
    expectNothingLeft(world);
  });

  it('an unknown project is not mistaken for "already gone"', async () => {
    const world = await start();
    const error = await expectOcxError(
      world.driver.provisioner.deprovision({ ...target, project: 'astronomy', disk: 'd' }),
      ['not-found'],
    );
    expect(error.backendMessage).toBe('astronomy not found');
  });

  it('refuses bad input before calling M2', async () => {
    const world = await start();
    const error = await expectOcxError(world.driver.provisioner.deprovision({ ...target, disk: 'a/b' }), [
      'validation',
    ]);
    expect(error.issues[0]?.path).toBe('disk');
    expect(world.m2.server.requests).toHaveLength(0);
    expect(OcxError.is(error)).toBe(true);
  });
});
