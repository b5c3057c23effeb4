/**
 * The static server behind `speechcore serve`: the built page (dist/web) and a models folder,
 * nothing else. GET/HEAD only; paths are confined to the two folders; every response carries a
 * Content-Security-Policy that allows this origin only, so the page cannot reach the network even
 * by mistake (it must work offline). `.wasm` goes out as application/wasm, which
 * WebAssembly.compileStreaming requires.
 *
 *   /                  index.html
 *   /<file>            a file of the page folder
 *   /models/index.json which models the folder holds (models.ts), looked up per request
 *   /models/<file>     only the files that manifest names
 *
 * @module
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanModels, type ModelManifest } from './models.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

/** Same origin only: scripts, workers, the worklet, fetches and wasm compilation. */
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; " +
  "img-src 'self' data: blob:; style-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'";

export interface ServeOptions {
  /** TCP port (default 8000; 0 picks a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1: the page is for this machine). */
  host?: string;
  /** Folder with the models (default ./models). */
  models?: string;
  /** Folder with the built page (default: dist/web beside the CLI). */
  root?: string;
  /** Called once per request that was refused or failed (status ≥ 400), for logs. */
  onError?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  root: string;
  models: string;
  /** The models the folder holds right now. */
  manifest(): ModelManifest;
  close(): Promise<void>;
}

/** dist/web: beside dist/cli.js when bundled, ../../dist/web from this source file under tsx. */
export function defaultWebRoot(): string | null {
  for (const rel of ['./web/', '../../dist/web/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

/** Resolves `rel` inside `root`; null if it would leave it. */
function inside(root: string, rel: string): string | null {
  const p = resolve(root, '.' + sep + rel);
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep) ? p : null;
}

export class ServeError extends Error {
  override name = 'ServeError';
}

/** Starts the server; resolves once it listens. */
export function startServer(o: ServeOptions = {}): Promise<RunningServer> {
  const root = resolve(o.root ?? defaultWebRoot() ?? '');
  if (!o.root && !defaultWebRoot()) return Promise.reject(new ServeError('the web page is not built (no dist/web/index.html): run npm run build'));
  if (!existsSync(join(root, 'index.html'))) return Promise.reject(new ServeError(`${root}: no index.html (the web page is not built: run npm run build)`));
  const models = resolve(o.models ?? 'models');
  const host = o.host ?? '127.0.0.1';

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache', 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : body);
    if (status >= 400) o.onError?.(`${req.method} ${req.url} → ${status} ${body.trim()}`);
  };
  const sendFile = (req: IncomingMessage, res: ServerResponse, path: string) => {
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) return send(req, res, 404, 'not found\n');
      size = st.size;
    } catch {
      return send(req, res, 404, 'not found\n');
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': size,
      'Cache-Control': 'no-cache', 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(path).on('error', () => res.destroy()).pipe(res);
  };

  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, 405, 'only GET and HEAD\n');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return send(req, res, 400, 'bad path\n');
    }
    if (path.includes('\0')) return send(req, res, 400, 'bad path\n');
    if (path === '/models/index.json') return send(req, res, 200, JSON.stringify(scanModels(models)) + '\n', TYPES['.json']);
    if (path.startsWith('/models/')) {
      const rel = path.slice('/models/'.length);
      const m = scanModels(models);
      if (rel !== m.recognizer && rel !== m.hmm && rel !== m.lstm) return send(req, res, 404, 'not a model this server offers\n');
      const file = inside(models, rel);
      return file ? sendFile(req, res, file) : send(req, res, 404, 'not found\n');
    }
    const file = inside(root, path === '/' ? 'index.html' : path.slice(1));
    return file ? sendFile(req, res, file) : send(req, res, 404, 'not found\n');
  });

  return new Promise((resolvePromise, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new ServeError(`port ${o.port ?? 8000} on ${host} is in use: pass --port P (0 picks a free one)`));
      else if (e.code === 'EACCES') reject(new ServeError(`port ${o.port ?? 8000} on ${host} needs privileges: pass --port P above 1023`));
      else reject(new ServeError(`cannot listen on ${host}:${o.port ?? 8000} (${e.code ?? e.message})`));
    });
    server.listen(o.port ?? 8000, host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : o.port ?? 8000;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolvePromise({
        url: `http://${shown}:${port}/`, port, root, models,
        manifest: () => scanModels(models),
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}
