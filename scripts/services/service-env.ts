import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two folders above this file). */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where openstack.sh, ceph.sh and swift.sh keep their state (same default and override as the scripts). */
export const stateRoot = process.env.OCX_STATE_DIR ?? join(repoRoot, '.ocx-state');

/**
 * Parses `KEY=value` lines (the output of `<script> env`, or the env files the scripts write).
 *
 * @example
 * parseEnvLines('OCX_RGW_URL=http://127.0.0.1:7480\n') // { OCX_RGW_URL: 'http://127.0.0.1:7480' }
 */
export function parseEnvLines(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) result[match[1]!] = match[2]!;
  }
  return result;
}

function readEnvFile(file: string): Record<string, string> {
  return existsSync(file) ? parseEnvLines(readFileSync(file, 'utf8')) : {};
}

/**
 * The endpoints and credentials of the integration services: the env files written by the service scripts
 * (openstack, ceph and every swift-<instance>), overridden by `OCX_*` variables already in the environment.
 *
 * @example
 * const env = loadServiceEnv();
 * if (env.OCX_KEYSTONE_URL) { … }
 */
export function loadServiceEnv(): Record<string, string> {
  const merged: Record<string, string> = {};
  const folders = existsSync(stateRoot) ? readdirSync(stateRoot) : [];
  for (const folder of ['openstack', 'ceph', ...folders.filter((name) => name.startsWith('swift-'))]) {
    Object.assign(merged, readEnvFile(join(stateRoot, folder, 'env')));
  }
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('OCX_') && value !== undefined) merged[key] = value;
  }
  return merged;
}

/** The tempauth Swift instances (from swift.sh) found in an env: their upper-cased names, e.g. `A`, `B`. */
export function swiftInstances(env: Record<string, string>): string[] {
  return Object.keys(env)
    .map((key) => /^OCX_SWIFT_([A-Z0-9_]+)_AUTH_URL$/.exec(key)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'TEMPAUTH');
}
