/**
 * TLS against a real PostgreSQL with ssl=on and certificates made here (selfsigned, in Node: no
 * openssl binary, so it runs on Windows too): a private CA signs the server certificate, whose
 * names are pg.example.test and 127.0.0.1 but not "localhost". The product's own path is used:
 * connectionConfig() from the settings the extension passes (sslmode, sslrootcert), then
 * openConnection(). pg_hba accepts the test role only over SSL (hostssl), so a plain connection
 * is refused by the server itself.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { generate } from 'selfsigned';
import { ConnectionError, ConnectionSettings, connectionConfig, openConnection } from '../../server/src/db/connection';
import { PgCluster, startPostgres } from '../harness/postgres';

const NOBODY = 65534;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const ROLE = 'tls_user';
/** No PG* variable, .pgpass or DATABASE_URL of the machine running the tests. */
const bareEnv: NodeJS.ProcessEnv = { HOME: '/nonexistent', USER: 'someone' };

type Extensions = NonNullable<NonNullable<Parameters<typeof generate>[1]>['extensions']>;

interface Certificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** A CA that did not sign the server's certificate. */
  otherCaCert: string;
}

async function makeCertificates(): Promise<Certificates> {
  const validity = { notBeforeDate: new Date(Date.now() - 60_000), notAfterDate: new Date(Date.now() + 7 * 86_400_000), algorithm: 'sha256' as const };
  const caExtensions: Extensions = [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  ];
  const ca = await generate([{ name: 'commonName', value: 'pg-parallel-hints test CA' }], { ...validity, extensions: caExtensions });
  const otherCa = await generate([{ name: 'commonName', value: 'some other CA' }], { ...validity, extensions: caExtensions });
  const server = await generate([{ name: 'commonName', value: 'pg.example.test' }], {
    ...validity,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'pg.example.test' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { caCert: ca.cert, serverCert: server.cert, serverKey: server.private, otherCaCert: otherCa.cert };
}

/** Writes a file the server process (nobody, when the tests run as root) owns. */
function writeServerFile(file: string, content: string, mode: number): void {
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
  if (isRoot) fs.chownSync(file, NOBODY, NOBODY);
}

describe('reliability: TLS against a real server with a self-signed CA', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  let dir: string;
  let caFile: string;
  let otherCaFile: string;
  let database: string;

  before(async () => {
    const certificates = await makeCertificates();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-tls-'));
    fs.chmodSync(dir, 0o755);
    const serverCertFile = path.join(dir, 'server.crt');
    const serverKeyFile = path.join(dir, 'server.key');
    const hbaFile = path.join(dir, 'pg_hba.conf');
    caFile = path.join(dir, 'root.crt');
    otherCaFile = path.join(dir, 'other-root.crt');
    writeServerFile(serverCertFile, certificates.serverCert, 0o644);
    // PostgreSQL refuses a key file that others can read.
    writeServerFile(serverKeyFile, certificates.serverKey, 0o600);
    fs.writeFileSync(caFile, certificates.caCert);
    fs.writeFileSync(otherCaFile, certificates.otherCaCert);
    // The harness checks readiness as postgres without SSL; the role under test gets SSL or nothing.
    writeServerFile(
      hbaFile,
      [
        'local all all trust',
        `hostssl all ${ROLE} 127.0.0.1/32 trust`,
        `hostnossl all ${ROLE} 127.0.0.1/32 reject`,
        'host all postgres 127.0.0.1/32 trust',
        '',
      ].join('\n'),
      0o644,
    );
    cluster = await startPostgres({
      major: Number(process.env.PGPH_TEST_PG_MAJOR ?? 18),
      binDir: process.env.PGPH_TEST_PG_BINDIR || undefined,
      settings: { ssl: 'on', ssl_cert_file: serverCertFile, ssl_key_file: serverKeyFile, hba_file: hbaFile },
    });
    const admin = new Client({ connectionString: cluster.connectionString() });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${ROLE} LOGIN`);
    } finally {
      await admin.end();
    }
    database = 'postgres';
  });

  after(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const settings = (more: ConnectionSettings): ConnectionSettings => ({ host: '127.0.0.1', port: cluster.port, user: ROLE, database, ...more });

  /** Connects as the extension does and reports whether the session runs over SSL. */
  async function sslInUse(more: ConnectionSettings): Promise<{ ssl: boolean; version: string }> {
    const client = await openConnection(connectionConfig(settings(more), bareEnv), { connectTimeoutMs: 5000 });
    try {
      const { rows } = await client.query('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return { ssl: rows[0].ssl, version: rows[0].version };
    } finally {
      await client.end();
    }
  }

  async function failure(more: ConnectionSettings): Promise<string> {
    try {
      const client = await openConnection(connectionConfig(settings(more), bareEnv), { connectTimeoutMs: 5000 });
      await client.end();
    } catch (error) {
      assert.ok(error instanceof ConnectionError, `not a ConnectionError: ${error}`);
      return error.message;
    }
    throw new Error('the connection succeeded');
  }

  const target = () => `could not connect to 127.0.0.1:${cluster.port}`;

  it('sslmode=require encrypts without checking the certificate', async () => {
    const session = await sslInUse({ sslmode: 'require' });
    assert.strictEqual(session.ssl, true);
    assert.match(session.version, /^TLSv1\.[23]$/);
  });

  it('sslmode=prefer (the default) uses SSL when the server offers it', async () => {
    assert.strictEqual((await sslInUse({})).ssl, true);
  });

  it('sslmode=verify-ca with the CA that signed the certificate connects over SSL', async () => {
    assert.strictEqual((await sslInUse({ sslmode: 'verify-ca', sslrootcert: caFile })).ssl, true);
  });

  it('sslmode=verify-ca checks the chain, not the name: a host name absent from the certificate is fine', async () => {
    // "localhost" is not among the certificate's names (pg.example.test, 127.0.0.1).
    const client = await openConnection(connectionConfig({ ...settings({ sslmode: 'verify-ca', sslrootcert: caFile }), host: 'localhost' }, bareEnv));
    await client.end();
  });

  it('sslmode=verify-full with the right CA and a name in the certificate connects over SSL', async () => {
    assert.strictEqual((await sslInUse({ sslmode: 'verify-full', sslrootcert: caFile })).ssl, true);
  });

  it('sslmode=require with a root certificate verifies the chain, as libpq does', async () => {
    assert.strictEqual(await failure({ sslmode: 'require', sslrootcert: otherCaFile }), `${target()}: SSL certificate rejected (sslmode=require): unable to verify the first certificate; checked against the root certificate ${otherCaFile}`);
  });

  it('sslmode=verify-ca without a root certificate fails and says the certificate was rejected', async () => {
    assert.strictEqual(
      await failure({ sslmode: 'verify-ca' }),
      `${target()}: SSL certificate rejected (sslmode=verify-ca): unable to verify the first certificate; checked against no root certificate (set sslrootcert to the CA that signed the server certificate)`,
    );
  });

  it('sslmode=verify-ca with the wrong root certificate fails and says the certificate was rejected', async () => {
    assert.strictEqual(
      await failure({ sslmode: 'verify-ca', sslrootcert: otherCaFile }),
      `${target()}: SSL certificate rejected (sslmode=verify-ca): unable to verify the first certificate; checked against the root certificate ${otherCaFile}`,
    );
  });

  it('a root certificate file that cannot be read is named', async () => {
    const missing = path.join(dir, 'missing.crt');
    assert.throws(() => connectionConfig(settings({ sslmode: 'verify-ca', sslrootcert: missing }), bareEnv), { message: `cannot read the root certificate ${missing}: ENOENT` });
  });

  it('sslmode=verify-full with a host name the certificate does not carry fails and names both', async () => {
    const message = await failure({ sslmode: 'verify-full', sslrootcert: caFile, host: 'localhost' });
    assert.strictEqual(message, `could not connect to localhost:${cluster.port}: SSL certificate rejected (sslmode=verify-full): Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:pg.example.test, IP Address:127.0.0.1`);
  });

  it('sslmode=disable where pg_hba allows only SSL fails with the server\'s reason', async () => {
    assert.strictEqual(await failure({ sslmode: 'disable' }), `${target()}: pg_hba.conf rejects connection for host "127.0.0.1", user "${ROLE}", database "${database}", no encryption`);
  });
});
