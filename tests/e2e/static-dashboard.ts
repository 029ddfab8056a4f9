/**
 * Serves the dashboard's production build (`yarn build`'s dist/) over HTTPS the way the shell's dev server
 * serves the app: the shell's development certificate, the API paths of @rancher/shell/vue.config.js
 * (getProxyConfig) proxied to the Rancher API with the headers of its vue-config-helper.js (x-api-host,
 * x-forwarded-proto, the WebSocket origin), every other path a file of the build or else index.html (the app
 * routes in the browser).
 *
 * `tsx tests/e2e/static-dashboard.ts --dir dist --port 8007 --api http://127.0.0.1:8991` (runs until killed).
 */
import { existsSync, readFileSync, statSync } from 'fs';
import http, { IncomingMessage, ServerResponse } from 'http';
import https from 'https';
import { connect } from 'net';
import { extname, join, normalize, resolve as resolvePath, sep } from 'path';
import type { Duplex } from 'stream';

/** The dev server's proxied paths (exact prefixes, and /v1-* for the public Rancher endpoints). */
const PROXIED = ['/k8s', '/pp', '/api', '/apis', '/v1', '/v3', '/v3-public', '/api-ui', '/meta', '/rancherversion', '/version'];
const TYPES: Record<string, string> = {
  '.html':  'text/html; charset=utf-8',
  '.js':    'application/javascript; charset=utf-8',
  '.css':   'text/css; charset=utf-8',
  '.json':  'application/json',
  '.map':   'application/json',
  '.svg':   'image/svg+xml',
  '.png':   'image/png',
  '.jpg':   'image/jpeg',
  '.gif':   'image/gif',
  '.ico':   'image/x-icon',
  '.woff':  'font/woff',
  '.woff2': 'font/woff2',
  '.ttf':   'font/ttf',
  '.eot':   'application/vnd.ms-fontobject',
  '.txt':   'text/plain; charset=utf-8',
};

/** True for a path the dev server proxies to the Rancher API. */
export function proxied(path: string): boolean {
  return path.startsWith('/v1-') || PROXIED.some((p) => path === p || path.startsWith(`${ p }/`) || path.startsWith(`${ p }?`));
}

/** Options of serveDashboard. */
export interface StaticDashboardOptions {
  /** the production build */
  dir: string;
  port: number;
  /** the Rancher API, e.g. the stand-in at http://127.0.0.1:8991 */
  api: string;
}

function proxyRequest(api: URL, req: IncomingMessage, res: ServerResponse): void {
  const headers = {
    ...req.headers, host: api.host, 'x-api-host': req.headers.host || '', 'x-forwarded-proto': 'https'
  };
  const upstream = http.request({
    host: api.hostname, port: api.port, method: req.method, path: req.url, headers
  }, (answer) => {
    res.writeHead(answer.statusCode || 502, answer.headers);
    answer.pipe(res);
  });

  upstream.on('error', (e) => {
    if (!res.headersSent) {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
    }
    res.end(`proxy error: ${ e.message }`);
  });
  req.pipe(upstream);
}

function proxyUpgrade(api: URL, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const upstream = connect(Number(api.port || 80), api.hostname, () => {
    const headers: Record<string, string | string[] | undefined> = {
      ...req.headers, host: api.host, origin: api.origin, 'x-api-host': req.headers.host || '', 'x-forwarded-proto': 'https'
    };
    const lines = [`${ req.method } ${ req.url } HTTP/1.1`];

    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (v !== undefined) {
          lines.push(`${ name }: ${ v }`);
        }
      }
    }
    upstream.write(`${ lines.join('\r\n') }\r\n\r\n`);
    upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    socket.destroy();
  };

  upstream.on('error', close);
  socket.on('error', close);
  upstream.on('close', close);
  socket.on('close', close);
}

function serveFile(root: string, req: IncomingMessage, res: ServerResponse): void {
  const path = decodeURIComponent(new URL(req.url || '/', 'https://dashboard').pathname);
  const file = resolvePath(root, `.${ normalize(path) }`);
  const inside = file === root || file.startsWith(`${ root }${ sep }`);
  const found = inside && existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
  const body = readFileSync(found);

  res.writeHead(200, {
    'Content-Type':   TYPES[extname(found)] || 'application/octet-stream',
    'Content-Length': body.length,
    // the build's own files have hashed names; index.html must be read again
    'Cache-Control':  found.endsWith('index.html') ? 'no-cache' : 'max-age=31536000',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Starts the server; resolves once it listens. */
export function serveDashboard(options: StaticDashboardOptions): Promise<https.Server> {
  const root = resolvePath(options.dir);
  const api = new URL(options.api);
  const certs = join(__dirname, '..', '..', 'node_modules', '@rancher', 'shell', 'server');
  const server = https.createServer({ key: readFileSync(join(certs, 'server.key')), cert: readFileSync(join(certs, 'server.crt')) }, (req, res) => {
    try {
      if (proxied(req.url || '/')) {
        proxyRequest(api, req, res);
      } else {
        serveFile(root, req, res);
      }
    } catch (e) {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end(String((e as Error).message));
    }
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (proxied(req.url || '/')) {
      proxyUpgrade(api, req, socket, head);
    } else {
      socket.destroy();
    }
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '0.0.0.0', () => resolve(server));
  });
}

function arg(name: string): string {
  const i = process.argv.indexOf(`--${ name }`);

  if (i < 0 || !process.argv[i + 1]) {
    throw new Error(`static-dashboard: --${ name } is required`);
  }

  return process.argv[i + 1];
}

if (require.main === module) {
  serveDashboard({ dir: arg('dir'), port: Number(arg('port')), api: arg('api') }).then(() => {
    process.stdout.write(`dashboard build ${ arg('dir') } on https://localhost:${ arg('port') }, API ${ arg('api') }\n`);
  }).catch((e) => {
    process.stderr.write(`static-dashboard: ${ (e as Error).message }\n`);
    process.exit(1);
  });
}
