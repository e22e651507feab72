// How an app:// request becomes a response: which file under the renderer's directory it names (if any), its
// content type and the security headers. Free of `electron` imports: main.ts only reads the file it is given.
// Chromium already canonicalises app:// URLs (the scheme is registered as standard), so every check here is
// the second line of defence, and must hold even for URLs Chromium would never produce.
import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative } from 'node:path';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, SECURITY_HEADERS } from './security-config';

/** Only what the renderer build emits (and pdf.js's resources). Anything else is not served at all. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
});

export interface AppRequest {
  method: string;
  url: string;
}

export interface AppResponse {
  status: 200 | 400 | 404 | 405;
  headers: Record<string, string>;
  /** Set only for 200: the file to send, already proven to lie inside the renderer root. */
  filePath?: string;
}

const ERROR_HEADERS = { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' };

/** An error response: no body worth reading, the security headers all the same. */
export function refusal(status: 400 | 404 | 405): AppResponse {
  const headers: Record<string, string> = { ...ERROR_HEADERS };
  if (status === 405) headers.Allow = 'GET';
  return { status, headers };
}

/**
 * Splits a URL path into decoded file-name segments, or null if any segment could step outside a directory or
 * smuggle a separator: "." and ".." (also percent-encoded), encoded "/" or "\", backslashes, drive letters and
 * stream names (":"), NUL and other control characters, empty segments ("//").
 */
function safeSegments(pathname: string): string[] | null {
  const segments: string[] = [];
  for (const raw of pathname.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null; // malformed percent-encoding
    }
    if (segment === '' || segment === '.' || segment === '..') return null;
    if (/[/\\:\u0000-\u001f\u007f]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

function isInside(root: string, candidate: string): boolean {
  const path = relative(root, candidate);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

/**
 * Resolves one request against the renderer's directory. Only GET, only our host; "/" is index.html; the file
 * must exist, be a regular file with a known type, and lie inside the root after symlinks are resolved.
 */
export function resolveAppRequest(request: AppRequest, rendererRoot: string): AppResponse {
  if (request.method !== 'GET') return refusal(405);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refusal(400);
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') {
    return refusal(404);
  }
  // Check the raw text too: a parser that already collapsed "/a/../b" must not hide the attempt.
  if (!request.url.startsWith(`${APP_ORIGIN}/`)) return refusal(400);
  const rawPath = request.url.slice(APP_ORIGIN.length).split(/[?#]/, 1)[0] ?? '';
  if (/(^|[/\\])(\.|%2e){1,2}([/\\]|$)/i.test(rawPath) || /\\|%5c|%2f|%00/i.test(rawPath)) return refusal(400);

  const segments = url.pathname === '/' ? ['index.html'] : safeSegments(url.pathname);
  if (segments === null) return refusal(400);

  const contentType = CONTENT_TYPES[extname(segments[segments.length - 1] ?? '').toLowerCase()];
  if (!contentType) return refusal(404);

  let realRoot: string;
  let realFile: string;
  try {
    realRoot = realpathSync(rendererRoot);
    // Resolving symlinks here is what stops a link inside the root from serving a file outside it.
    realFile = realpathSync(join(realRoot, ...segments));
    if (!isInside(realRoot, realFile) || !statSync(realFile).isFile()) return refusal(404);
  } catch {
    return refusal(404);
  }
  return { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': contentType }, filePath: realFile };
}
