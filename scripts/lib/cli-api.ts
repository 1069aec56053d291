/** The admin API over HTTP, as the CLI uses it: JSON or CSV in, parsed answer or ApiCallError out. */

export class ApiCallError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export interface ApiClient {
  call<T = unknown>(method: string, path: string, options?: { json?: unknown; csv?: string; headers?: Record<string, string> }): Promise<T>;
}

/** A client for `baseUrl` (e.g. http://localhost:3000) sending `token` as a bearer token. */
export function createApiClient(baseUrl: string, token: string): ApiClient {
  const root = `${baseUrl.replace(/\/+$/, '')}/api/v1`;
  return {
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...options.headers };
      let body: string | undefined;
      if (options.csv !== undefined) { headers['Content-Type'] = 'text/csv'; body = options.csv; }
      else if (options.json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(options.json); }
      let response: Response;
      try {
        response = await fetch(`${root}${path}`, { method, headers, body });
      } catch (error) {
        throw new ApiCallError(0, 'NETWORK', `cannot reach ${root}: ${(error as Error).cause ? String((error as Error & { cause: unknown }).cause) : (error as Error).message}`);
      }
      const type = response.headers.get('content-type') ?? '';
      const data: unknown = type.includes('json') ? await response.json() : await response.text();
      if (!response.ok) {
        const problem = (typeof data === 'object' && data !== null ? data : {}) as { code?: string; message?: string; details?: unknown };
        throw new ApiCallError(response.status, problem.code ?? `HTTP_${response.status}`, problem.message ?? String(data).slice(0, 200), problem.details);
      }
      return data as never;
    },
  };
}
