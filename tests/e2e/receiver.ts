/**
 * A small HTTPS audit receiver for the webhook scenario: a throwaway CA and a server certificate for 127.0.0.1 made
 * with openssl at run time, a node https server on 127.0.0.1 on a free port that takes POSTed audit EventLists, and
 * the client kube-apiserver's webhook is: built from a kubeconfig (its server, certificate-authority-data and token
 * or client certificate), trusting that CA only, POSTing an audit.k8s.io/v1 EventList as JSON.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, request, Server } from 'https';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';

export interface Certs {
  ca: string;
  cert: string;
  key: string;
}

/** A CA and a certificate it signed for 127.0.0.1 (subjectAltName IP), valid one day; the files are removed again. */
export function makeCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'audit-webhook-certs-'));
  const at = (f: string) => join(dir, f);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });

  try {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', at('ca-key.pem'), '-out', at('ca.pem'), '-days', '1', '-subj', '/CN=e2e audit receiver CA');
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', at('key.pem'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1');
    writeFileSync(at('san.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    openssl('x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca-key.pem'), '-CAcreateserial', '-out', at('cert.pem'), '-days', '1', '-extfile', at('san.cnf'));

    return { ca: readFileSync(at('ca.pem'), 'utf8'), cert: readFileSync(at('cert.pem'), 'utf8'), key: readFileSync(at('key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One request the receiver took. */
export interface Received {
  method: string;
  path: string;
  authorization: string;
  contentType: string;
  body: unknown;
}

export interface Receiver {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** Starts the receiver on 127.0.0.1 (a free port); it stops by itself after `seconds` if the test does not stop it. */
export async function startReceiver(certs: Certs, seconds = 180): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    const chunks: Buffer[] = [];

    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown = null;

      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      received.push({
        method: req.method || '', path: req.url || '', authorization: String(req.headers.authorization ?? ''), contentType: String(req.headers['content-type'] ?? ''), body
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  server.requestTimeout = 10000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stop = setTimeout(() => server.close(), seconds * 1000);

  stop.unref();

  return {
    port:  (server.address() as { port: number }).port,
    received,
    close: () => {
      clearTimeout(stop);

      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** What kube-apiserver's webhook client takes from a kubeconfig: current-context's server, CA and credentials. */
export function clientFrom(kubeconfig: string): { server: string, ca?: string, token?: string, cert?: string, key?: string } {
  const config = parse(kubeconfig);
  const context = config.contexts.find((c: { name: string }) => c.name === config['current-context']).context;
  const cluster = config.clusters.find((c: { name: string }) => c.name === context.cluster).cluster;
  const user = (config.users || []).find((u: { name: string }) => u.name === context.user)?.user || {};
  const pem = (data?: string) => (data ? Buffer.from(data, 'base64').toString('utf8') : undefined);

  return {
    server: cluster.server, ca: pem(cluster['certificate-authority-data']), token: user.token, cert: pem(user['client-certificate-data']), key: pem(user['client-key-data'])
  };
}

/** POSTs an audit.k8s.io/v1 EventList of `events` to the kubeconfig's receiver, as kube-apiserver's webhook does; its status. */
export function sendEvents(kubeconfig: string, events: unknown[]): Promise<number> {
  const client = clientFrom(kubeconfig);
  const body = JSON.stringify({
    kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: events
  });

  return new Promise((resolve, reject) => {
    const req = request(client.server, {
      method:             'POST',
      // the kubeconfig's CA only, verified even where NODE_TLS_REJECT_UNAUTHORIZED=0 (the dashboard's self-signed dev server)
      rejectUnauthorized: true,
      ca:                 client.ca,
      cert:               client.cert,
      key:                client.key,
      timeout:            10000,
      headers:            { 'content-type': 'application/json', accept: 'application/json', ...(client.token ? { authorization: `Bearer ${ client.token }` } : {}) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode || 0));
    });

    req.on('timeout', () => req.destroy(new Error(`no answer from ${ client.server } in 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}
