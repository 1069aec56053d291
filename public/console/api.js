// The console's client of /api/v1: the session's bearer token, the chosen pack as `?pack=` on
// every pack-scoped call, JSON or CSV bodies, and errors that carry the API's code and details.

export const TOKEN_KEY = 'kiungo.token';

const tokens = window.sessionStorage;
let currentPack;
let onUnauthorised = () => {};

/** A failed call: the HTTP status and the API's `{ code, message, details }`. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = (body && body.code) || `HTTP_${status}`;
    this.details = body && body.details;
  }
}

export function token() { return tokens.getItem(TOKEN_KEY) || ''; }
export function setToken(value) { if (value) tokens.setItem(TOKEN_KEY, value); else tokens.removeItem(TOKEN_KEY); }

/** What to do when the API refuses the token (the shell shows the sign-in form again). */
export function whenUnauthorised(handler) { onUnauthorised = handler; }

/** The pack later calls are about; undefined sends no `pack` parameter (a one-pack gateway). */
export function usePack(id) { currentPack = id; }

/** `path` with `pack=<id>` added when a pack is chosen; the pack list itself is not pack-scoped. */
export function scoped(path) {
  if (currentPack === undefined || path === '/packs' || path.startsWith('/packs?')) return path;
  const [pathname, query = ''] = path.split('?', 2);
  const params = new URLSearchParams(query);
  params.set('pack', currentPack);
  return `${pathname}?${params.toString()}`;
}

/** Calls /api/v1 with the session's token; resolves JSON (or text for CSV), rejects with ApiError. */
export async function api(method, path, body, options = {}) {
  const headers = { Authorization: `Bearer ${token()}`, ...(options.headers || {}) };
  const init = { method, headers };
  if (body !== undefined) {
    if (typeof body === 'string') { headers['Content-Type'] = 'text/csv'; init.body = body; }
    else { headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  }
  const response = await fetch(`/api/v1${scoped(path)}`, init);
  const type = response.headers.get('content-type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (response.ok) return data;
  const error = new ApiError(response.status, data);
  if (response.status === 401 && !options.keepSession) onUnauthorised(error);
  throw error;
}

/** Fetches a CSV with the token (and the pack) and saves it as `filename`. */
export async function download(path, filename) {
  const text = await api('GET', path);
  const url = URL.createObjectURL(new window.Blob([text], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
