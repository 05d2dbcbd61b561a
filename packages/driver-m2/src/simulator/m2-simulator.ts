import { parseWith } from '@ocx/core';
import { createTestServer, type TestServer } from '@ocx/core/simulation';
import { z } from 'zod';
import { answerM2Request } from './answer-m2-request.js';
import { createHilLookup } from './hil-lookup.js';
import type { M2Reply } from './m2-reply.js';
import {
  addProject,
  cephImageName,
  createM2State,
  findImage,
  insertImage,
  type M2BootRecord,
  type M2State,
} from './m2-state.js';
import { werkzeugErrorPage } from './werkzeug-pages.js';

const NameSchema = z.string().min(1).max(255);

const M2SimulatorOptionsSchema = z
  .object({
    /** The HIL the simulator asks for MAC addresses and project access, e.g. a HIL simulator's `url`. */
    hilUrl: z.url({ protocol: /^https?$/ }),
    /** Projects M2 knows (M2's admin CLI creates them; REST cannot). */
    projects: z.array(NameSchema).default(['default']),
    /** Golden images imported into every project, in this order. */
    images: z.array(NameSchema).default(['ubuntu-22.04', 'centos-7']),
    /** `bmi.uid` of M2's config: the prefix of Ceph image and iSCSI target names. */
    uid: z
      .string()
      .regex(/^[A-Za-z0-9]+$/)
      .default('7'),
    /** The iSCSI portal address written into the iPXE scripts. */
    iscsiIp: z.string().min(1).default('127.0.0.1'),
    /** How long the simulator waits for HIL before answering "Couldnt connect to HIL". */
    hilTimeoutMs: z.number().int().positive().default(10_000),
  })
  .strict();

/** Options of {@link createM2Simulator}. */
export type M2SimulatorOptions = z.input<typeof M2SimulatorOptionsSchema>;

/** A row of M2's image table, as the simulator shows it. */
export interface M2SimulatorImage {
  name: string;
  /** `golden` (imported), `disk` (a clone a node boots from) or `snapshot`. */
  kind: 'golden' | 'disk' | 'snapshot';
  /** The image it was cloned from, for disks and snapshots. */
  parent: string | undefined;
  /** The disk's iSCSI target name, while it has one. */
  target: string | undefined;
}

/** A running M2 simulator; see {@link createM2Simulator}. */
export interface M2Simulator {
  /** Base URL to hand an M2 client, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The loopback server underneath: recorded requests and fault injection (`server.inject`). */
  readonly server: TestServer;
  /** TFTP files M2 wrote (`pxelinux.cfg/01-<mac>`, `<node>.ipxe`), by path. */
  readonly files: ReadonlyMap<string, string>;
  /** iSCSI target names. */
  readonly targets: ReadonlySet<string>;
  /** Provisioned nodes, by node name. */
  readonly boots: ReadonlyMap<string, M2BootRecord>;
  /** The image table rows of one project, oldest first. */
  images(project: string): M2SimulatorImage[];
  /** Create a project, as M2's admin CLI does. */
  addProject(name: string): void;
  /** Import a golden image into a project, as M2's admin CLI does. */
  importImage(project: string, name: string): void;
  /** Stop listening and drop every connection. */
  close(): Promise<void>;
}

/**
 * Start a loopback M2 (BMI) server speaking M2's REST wire format — form-encoded fields, Basic
 * credentials that are HIL's, the `project` field, plain-text errors with M2's statuses and
 * Werkzeug's HTML pages — with M2's state in memory: projects, images with their snapshot and
 * parent links, disks with their iSCSI targets, and the PXE/iPXE files per MAC and node. Like M2
 * it asks HIL (at `hilUrl`, with the caller's credentials) for NIC MAC addresses and project
 * access, and reports HIL's failures as M2 does.
 *
 * @example
 * ```ts
 * const hil = await createHilSimulator({ nodes: [...] });
 * const m2 = await createM2Simulator({ hilUrl: hil.url, projects: ['genomics'], images: ['ubuntu-22.04'] });
 * const driver = createM2Driver({ endpoint: m2.url, username: 'alice', password: 'secret', project: 'genomics' });
 * // … m2.files now holds pxelinux.cfg/01-<mac> and <node>.ipxe for provisioned nodes
 * await m2.close();
 * ```
 */
export async function createM2Simulator(options: M2SimulatorOptions): Promise<M2Simulator> {
  const config = parseWith(M2SimulatorOptionsSchema, options, { what: 'M2 simulator options' });
  const state: M2State = createM2State({ uid: config.uid, iscsiIp: config.iscsiIp });
  const importImage = (project: string, name: string): void => {
    addProject(state, project);
    if (findImage(state, project, name) === undefined)
      insertImage(state, { name, project, parentId: null, isSnapshot: false, hasSnapshot: true });
  };
  for (const project of config.projects) {
    addProject(state, project);
    for (const image of config.images) importImage(project, image);
  }
  const hil = createHilLookup({ hilUrl: config.hilUrl, timeoutMs: config.hilTimeoutMs });

  let origin = '';
  const server = await createTestServer({
    handler: async (request, response, body) => {
      let reply: M2Reply;
      try {
        reply = await answerM2Request(state, hil, {
          method: request.method ?? 'GET',
          path: new URL(request.url ?? '/', 'http://m2').pathname,
          origin,
          contentType: request.headers['content-type'],
          authorization: request.headers.authorization,
          body,
        });
      } catch {
        reply = werkzeugErrorPage(500);
      }
      if (response.destroyed) return;
      response.writeHead(reply.status, {
        'content-type': reply.contentType,
        'content-length': Buffer.byteLength(reply.body),
        ...reply.headers,
      });
      response.end(reply.body);
    },
  });
  origin = server.origin;

  return {
    url: server.url,
    server,
    files: state.files,
    targets: state.targets,
    boots: state.boots,
    images(project) {
      return [...state.images.values()]
        .filter((image) => image.project === project)
        .map((image) => {
          const target = cephImageName(state, image);
          return {
            name: image.name,
            kind: image.isSnapshot ? 'snapshot' : image.parentId === null ? 'golden' : 'disk',
            parent: image.parentId === null ? undefined : state.images.get(image.parentId)?.name,
            target: state.targets.has(target) ? target : undefined,
          };
        });
    },
    addProject(name) {
      addProject(state, parseWith(NameSchema, name, { what: 'project name' }));
    },
    importImage(project, name) {
      importImage(
        parseWith(NameSchema, project, { what: 'project name' }),
        parseWith(NameSchema, name, { what: 'image name' }),
      );
    },
    close: () => server.close(),
  };
}
