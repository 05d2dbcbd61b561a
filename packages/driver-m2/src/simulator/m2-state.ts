/**
 * One row of M2's `image` table. Golden images, disks (clones of an image, booted by a node) and
 * snapshots all live in it, told apart by `parentId` and `isSnapshot`, with names unique per
 * project.
 */
export interface M2ImageRecord {
  id: number;
  name: string;
  project: string;
  isPublic: boolean;
  isSnapshot: boolean;
  /** The image this row was cloned from; null for golden images. */
  parentId: number | null;
  /**
   * Whether the row's Ceph image holds M2's protected snapshot named `snapshot`
   * (`constants.DEFAULT_SNAPSHOT_NAME`), the one disks are cloned from. Imported images and
   * snapshots have it; a disk has it only while `create_snapshot` works on it, or for good when a
   * `create_snapshot` of it failed half-way, as M2 leaves it (ims/einstein/operations.py).
   */
  hasSnapshot: boolean;
}

/** Where one node network-boots from: the two TFTP files M2 wrote for it. */
export interface M2BootRecord {
  node: string;
  nic: string;
  mac: string;
  disk: string;
  /** `pxelinux.cfg/01-<mac>`: the PXE menu that chain-loads iPXE. */
  pxelinuxFile: string;
  /** `<node>.ipxe`: the iPXE script that sanboots the disk's iSCSI target. */
  ipxeFile: string;
}

/** Everything an M2 installation keeps: its database, its iSCSI targets and its TFTP files. */
export interface M2State {
  /** `bmi.uid` of M2's config: the prefix of every Ceph image name (`<uid>img<id>`). */
  readonly uid: string;
  /** The iSCSI portal the iPXE scripts point at. */
  readonly iscsiIp: string;
  /** Project name → id. Projects are made by M2's admin CLI, never over REST. */
  readonly projects: Map<string, number>;
  /** The `image` table, by id. */
  readonly images: Map<number, M2ImageRecord>;
  /** tgt targets, by name (the Ceph image name of the disk). */
  readonly targets: Set<string>;
  /** TFTP files, by path relative to the TFTP root. */
  readonly files: Map<string, string>;
  /** Provisioned nodes, by node name. */
  readonly boots: Map<string, M2BootRecord>;
  nextImageId: number;
  nextProjectId: number;
}

/** An empty M2 installation. */
export function createM2State(options: { uid: string; iscsiIp: string }): M2State {
  return {
    uid: options.uid,
    iscsiIp: options.iscsiIp,
    projects: new Map(),
    images: new Map(),
    targets: new Set(),
    files: new Map(),
    boots: new Map(),
    nextImageId: 1,
    nextProjectId: 1,
  };
}

/** Add a project, as `bmi project create` does; adding an existing one changes nothing. */
export function addProject(state: M2State, name: string): void {
  if (state.projects.has(name)) return;
  state.projects.set(name, state.nextProjectId);
  state.nextProjectId += 1;
}

/** The row named `name` in `project`, if any. */
export function findImage(state: M2State, project: string, name: string): M2ImageRecord | undefined {
  for (const image of state.images.values()) {
    if (image.project === project && image.name === name) return image;
  }
  return undefined;
}

/** Insert a row with the next id; the caller has checked the name is free in the project. */
export function insertImage(
  state: M2State,
  row: { name: string; project: string; parentId: number | null; isSnapshot: boolean; hasSnapshot: boolean },
): M2ImageRecord {
  const image: M2ImageRecord = { id: state.nextImageId, isPublic: false, ...row };
  state.nextImageId += 1;
  state.images.set(image.id, image);
  return image;
}

/** The Ceph image name M2 gives a row: also the name of the disk's iSCSI target. */
export function cephImageName(state: M2State, image: M2ImageRecord): string {
  return `${state.uid}img${image.id}`;
}

/** True when a disk (a non-snapshot clone) was made from this row: M2 then refuses to delete it. */
export function hasClones(state: M2State, image: M2ImageRecord): boolean {
  for (const other of state.images.values()) {
    if (other.parentId === image.id && !other.isSnapshot) return true;
  }
  return false;
}

/**
 * Delete a row and its iSCSI target. Snapshots made from it stay, but as M2's database does it
 * they lose their parent and stop being snapshots.
 */
export function deleteImage(state: M2State, image: M2ImageRecord): void {
  for (const other of state.images.values()) {
    if (other.parentId === image.id) {
      other.parentId = null;
      other.isSnapshot = false;
    }
  }
  state.images.delete(image.id);
  state.targets.delete(cephImageName(state, image));
}
