import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A PEM certificate and its PEM private key. */
export interface TestKeyPair {
  cert: string;
  key: string;
}

/**
 * Two independent certificate authorities, each with a server certificate (valid for
 * `127.0.0.1` and `localhost`) and a client certificate. Use `ca`'s family for the happy path and
 * `otherCa`'s to prove that an unknown CA or a foreign client certificate is refused.
 */
export interface TestCertificates {
  ca: TestKeyPair;
  server: TestKeyPair;
  client: TestKeyPair;
  otherCa: TestKeyPair;
  otherServer: TestKeyPair;
  otherClient: TestKeyPair;
}

/**
 * Generate throwaway certificates for mutual-TLS tests with the `openssl` command (it must be on
 * the PATH; Node has no API to sign certificates). EC P-256 keys keep this fast; the certificates
 * are valid for two days. Nothing is left on disk.
 *
 * @example
 * ```ts
 * const certificates = await createTestCertificates();
 * const server = await createTestServer({ tls: { ...certificates.server, ca: certificates.ca.cert, requestCert: true } });
 * ```
 */
export async function createTestCertificates(): Promise<TestCertificates> {
  const directory = await mkdtemp(join(tmpdir(), 'ocx-test-certificates-'));
  try {
    const ca = await createAuthority(directory, 'ca', 'OCX Test CA');
    const otherCa = await createAuthority(directory, 'other-ca', 'OCX Other Test CA');
    const [server, client, otherServer, otherClient] = await Promise.all([
      createLeaf(directory, 'server', 'ca', 'serverAuth'),
      createLeaf(directory, 'client', 'ca', 'clientAuth'),
      createLeaf(directory, 'other-server', 'other-ca', 'serverAuth'),
      createLeaf(directory, 'other-client', 'other-ca', 'clientAuth'),
    ]);
    return { ca, server, client, otherCa, otherServer, otherClient };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const KEY_OPTIONS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function createAuthority(directory: string, name: string, commonName: string): Promise<TestKeyPair> {
  const keyPath = join(directory, `${name}.key`);
  const certPath = join(directory, `${name}.crt`);
  await run('openssl', [
    'req',
    '-x509',
    ...KEY_OPTIONS,
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-subj',
    `/CN=${commonName}`,
    '-days',
    '2',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
}

async function createLeaf(
  directory: string,
  name: string,
  authority: string,
  usage: 'serverAuth' | 'clientAuth',
): Promise<TestKeyPair> {
  const keyPath = join(directory, `${name}.key`);
  const requestPath = join(directory, `${name}.csr`);
  const certPath = join(directory, `${name}.crt`);
  const extensionsPath = join(directory, `${name}.ext`);
  await writeFile(
    extensionsPath,
    `subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=${usage}\nbasicConstraints=CA:FALSE\n`,
  );
  await run('openssl', [
    'req',
    '-new',
    ...KEY_OPTIONS,
    '-keyout',
    keyPath,
    '-out',
    requestPath,
    '-subj',
    `/CN=${name}`,
  ]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    requestPath,
    '-CA',
    join(directory, `${authority}.crt`),
    '-CAkey',
    join(directory, `${authority}.key`),
    '-set_serial',
    `0x${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`,
    '-out',
    certPath,
    '-days',
    '2',
    '-extfile',
    extensionsPath,
  ]);
  return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
}
