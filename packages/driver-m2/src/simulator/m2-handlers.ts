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

/** `ImageExistsException` (ims/exception/db_exceptions.py): its `status_code` is 500, not 409. */
function refuseDuplicate(state: M2State, project: string, name: string): void {
  if (findImage(state, project, name) !== undefined) throw new M2ReplyError(textReply(500, `${name} already exists`));
}

function refuseIfCloned(state: M2State, image: M2ImageRecord): void {
  if (hasClones(state, image)) {
    throw new M2ReplyError(textReply(500, `${image.name} has clones, please deprovision before deleting`));
  }
}

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
    refuseDuplicate(state, project, form.disk_name!);
    const disk = insertImage(state, { name: form.disk_name!, project, parentId: image.id, isSnapshot: false });
    const target = cephImageName(state, disk);
    state.targets.add(target);
    return jsonReply(target);
  },

  async delete_disk({ state, project, form }) {
    const disk = existing(state, project, form.disk_name!);
    refuseIfCloned(state, disk);
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
    await hil.validateProject(project, credentials);
    const disk = existing(state, project, form.disk_name!);
    refuseDuplicate(state, project, form.snap_name!);
    insertImage(state, { name: form.snap_name!, project, parentId: disk.parentId, isSnapshot: true });
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
    await hil.validateProject(project, credentials);
    const image = existing(state, project, form.img!);
    refuseIfCloned(state, image);
    deleteImage(state, image);
    return SUCCESS;
  },
};
