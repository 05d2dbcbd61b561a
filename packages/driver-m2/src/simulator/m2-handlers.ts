import type { M2CallName } from '../m2-calls.js';
import type { HilCredentials, HilLookup } from './hil-lookup.js';
import { jsonReply, type M2Reply, M2ReplyError, textReply } from './m2-reply.js';
import {
  cephImageName,
  deleteImage,
  findImage,
  hasClones,
  insertImage,
  type M2ImageRecord,
  type M2State,
} from './m2-state.js';

/** What a handler gets: the request's project, credentials and form fields, already checked present. */
export interface M2CallContext {
  state: M2State;
  hil: HilLookup;
  project: string;
  credentials: HilCredentials;
  form: Readonly<Record<string, string>>;
}

const SUCCESS = textReply(200, 'Success');

/** M2's answer when a name is missing from the project's `image` table. */
function notFound(name: string): M2ReplyError {
  return new M2ReplyError(textReply(404, `${name} not found`));
}

function existing(state: M2State, project: string, name: string): M2ImageRecord {
  const image = findImage(state, project, name);
  if (image === undefined) throw notFound(name);
  return image;
}

/**
 * `ImageRepository.insert` (ims/database/image.py): a name already in the project is an
 * IntegrityError, after which the existing row's parent is compared with the new one's; only a
 * different parent raises `ImageExistsException`, whose `status_code` is 500, not 409. With the
 * same parent the insert is silently done already: M2's calls are made to be repeated.
 */
function insertOrFindSame(
  state: M2State,
  row: { name: string; project: string; parentId: number | null; isSnapshot: boolean; hasSnapshot: boolean },
): { row: M2ImageRecord; existed: boolean } {
  const found = findImage(state, row.project, row.name);
  if (found === undefined) return { row: insertImage(state, row), existed: false };
  if (found.parentId !== row.parentId) throw new M2ReplyError(textReply(500, `${row.name} already exists`));
  return { row: found, existed: true };
}

function refuseIfCloned(state: M2State, image: M2ImageRecord): void {
  if (hasClones(state, image)) {
    throw new M2ReplyError(textReply(500, `${image.name} has clones, please deprovision before deleting`));
  }
}

/**
 * A `FileSystemException` from ims/einstein/ceph.py, reported as `__return_error` does: the Ceph
 * name (`<uid>img<id>`) at the start of the message is swapped for the row's name.
 */
function cephError(status: number, image: M2ImageRecord, rest: string): M2ReplyError {
  return new M2ReplyError(textReply(status, `${image.name}${rest}`));
}

/** `RBD.snap_image(img, "snapshot")` when the image holds it already: `ImageExistsException("snapshot")`. */
const SNAPSHOT_EXISTS = () => new M2ReplyError(textReply(500, 'snapshot Already Exists'));
/** `RBD.snap_unprotect(img, "snapshot")` when it holds none: `ImageNotFoundException("snapshot")`. */
const SNAPSHOT_NOT_FOUND = () => new M2ReplyError(textReply(404, 'snapshot Not Found'));

/** The PXE menu M2 writes per MAC (`ims/mac.temp`): boot the node's iPXE script. */
function pxelinuxConfig(image: string, ipxeFile: string): string {
  return `DEFAULT menu\n  PROMPT 0\n  MENU TITLE PXE Menu\n  TIMEOUT 30\n  ONTIMEOUT ${image}\n\n\nLABEL ${image}\n     MENU LABEL ${image}\n     KERNEL ipxe.lkrn\n     INITRD ${ipxeFile}`;
}

/** The iPXE script M2 writes per node (`ims/ipxe.temp`): sanboot the disk's iSCSI target. */
function ipxeScript(iscsiIp: string, target: string): string {
  return `#!ipxe\n      set keep-san 1\n      ifconf --configurator=dhcp net0\n      sanboot --keep iscsi:${iscsiIp}::::iqn.2015.${target}\n      boot`;
}

/**
 * One handler per M2 REST call, with M2's checks in M2's order. `create_disk` and `delete_disk`
 * never contact HIL; `provision` and `deprovision` ask HIL for the NIC's MAC; the others ask HIL
 * whether the caller may see the project.
 */
export const M2_HANDLERS: Record<M2CallName, (context: M2CallContext) => Promise<M2Reply>> = {
  async create_disk({ state, project, form }) {
    const image = existing(state, project, form.img!);
    // Repeated with the same image, every step finds its work done (ImageRepository.insert, RBD.clone
    // and TGT.add_target let an existing row, clone or target of the same parent pass) and the
    // same target is answered; see tests/integration/einstein/test_state_operations.py.
    const { row: disk } = insertOrFindSame(state, {
      name: form.disk_name!,
      project,
      parentId: image.id,
      isSnapshot: false,
      hasSnapshot: false,
    });
    // A snapshot row of that name and parent passes the insert, but its Ceph image was flattened:
    // RBD.clone's parent check then fails in a way the stored source does not show; refused here.
    if (disk.isSnapshot) throw new M2ReplyError(textReply(500, `${disk.name} already exists`));
    const target = cephImageName(state, disk);
    state.targets.add(target);
    return jsonReply(target);
  },

  async delete_disk({ state, project, form }) {
    const disk = existing(state, project, form.disk_name!);
    refuseIfCloned(state, disk);
    // RBD.remove refuses an image that holds a snapshot (rbd.ImageHasSnapshots), as a disk does
    // after a create_snapshot of it failed half-way; the row and its target are kept.
    if (disk.hasSnapshot) throw cephError(500, disk, ' has Snapshots');
    deleteImage(state, disk);
    return SUCCESS;
  },

  async provision({ state, hil, project, credentials, form }) {
    const node = form.node!;
    const mac = await hil.nicMacAddress(node, form.nic!, credentials);
    const disk = existing(state, project, form.disk_name!);
    const pxelinuxFile = `pxelinux.cfg/01-${mac.toLowerCase().replace(/:/g, '-')}`;
    const ipxeFile = `${node}.ipxe`;
    // Re-provisioning a node rewrites its files; a node whose MAC changed must not keep the old menu.
    const previous = state.boots.get(node);
    if (previous !== undefined && previous.pxelinuxFile !== pxelinuxFile) state.files.delete(previous.pxelinuxFile);
    state.files.set(ipxeFile, ipxeScript(state.iscsiIp, cephImageName(state, disk)));
    state.files.set(pxelinuxFile, pxelinuxConfig(disk.name, ipxeFile));
    state.boots.set(node, { node, nic: form.nic!, mac, disk: disk.name, pxelinuxFile, ipxeFile });
    return SUCCESS;
  },

  async deprovision({ state, hil, credentials, form }) {
    const node = form.node!;
    const mac = await hil.nicMacAddress(node, form.nic!, credentials);
    const pxelinuxFile = `pxelinux.cfg/01-${mac.toLowerCase().replace(/:/g, '-')}`;
    const ipxeFile = `${node}.ipxe`;
    // Upstream does not say how it answers for a node it never provisioned; the simulator says 404.
    if (!state.files.has(pxelinuxFile) && !state.files.has(ipxeFile)) {
      throw new M2ReplyError(textReply(404, `${node} not provisioned`));
    }
    state.files.delete(pxelinuxFile);
    state.files.delete(ipxeFile);
    state.boots.delete(node);
    return SUCCESS;
  },

  async create_snapshot({ state, hil, project, credentials, form }) {
    // BMI.create_snapshot (ims/einstein/operations.py), step by step: snap and protect the disk's
    // `snapshot`, insert the row, clone, flatten, snap and protect the clone, then unprotect and
    // remove the disk's `snapshot`. A failure after the first step leaves the disk holding its
    // protected `snapshot`: M2 undoes nothing.
    await hil.validateProject(project, credentials);
    const disk = existing(state, project, form.disk_name!);
    if (disk.hasSnapshot) throw SNAPSHOT_EXISTS();
    disk.hasSnapshot = true;
    const { row: snapshot, existed } = insertOrFindSame(state, {
      name: form.snap_name!,
      project,
      parentId: disk.parentId,
      isSnapshot: true,
      hasSnapshot: true,
    });
    if (existed) {
      // RBD.clone finds the clone's name taken and compares its parent (`parent_info()`): a
      // snapshot was flattened and has none, which rbd reports as ImageNotFound; a disk of the same
      // image has another parent than this disk: ImageExistsException.
      if (snapshot.isSnapshot || snapshot.parentId === null) throw cephError(404, snapshot, ' Not Found');
      throw cephError(500, snapshot, ' Already Exists');
    }
    disk.hasSnapshot = false;
    return SUCCESS;
  },

  async list_images({ state, hil, project, credentials }) {
    await hil.validateProject(project, credentials);
    const names = [...state.images.values()]
      .filter((image) => image.project === project && image.parentId === null)
      .map((image) => image.name);
    return jsonReply(names);
  },

  async list_snapshots({ state, hil, project, credentials }) {
    await hil.validateProject(project, credentials);
    const pairs = [...state.images.values()]
      .filter((image) => image.project === project && image.isSnapshot && image.parentId !== null)
      .map((image) => [image.name, state.images.get(image.parentId as number)?.name ?? '']);
    return jsonReply(pairs);
  },

  async remove_image({ state, hil, project, credentials, form }) {
    // BMI.remove_image: unprotect and remove the image's `snapshot`, remove the Ceph image, then
    // the row. An image without that snapshot (a disk) stops at the first step; one that disks
    // were cloned from cannot be unprotected (rbd.ImageBusy → ImageBusyException).
    await hil.validateProject(project, credentials);
    const image = existing(state, project, form.img!);
    if (!image.hasSnapshot) throw SNAPSHOT_NOT_FOUND();
    if (hasClones(state, image)) throw cephError(500, image, ' is Busy (Could have Clones)');
    deleteImage(state, image);
    return SUCCESS;
  },
};
