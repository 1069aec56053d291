/**
 * POSTs a form to Africa's Talking over our own keep-alive agents, at most `maxSockets` sockets
 * per protocol. The SDK's `SMS.send` builds and compiles a Joi schema, re-validates every number
 * with libphonenumber and deep-clones its input on each call, then posts through axios's default
 * instance (shared with the whole process, no timeout, no agent of ours): several times the cost
 * of the request itself, and an unbounded number of sockets. The request it sends is the same
 * form, to the URL the SDK holds (so its sandbox switch still applies): see at-sms-provider.ts.
 *
 * A call that runs past its deadline (or whose signal aborts) is destroyed, so its socket is freed
 * at once; its outcome is `timeout` / `aborted` (the request may already be at AT).
 */
import http from 'node:http';
import https from 'node:https';

/** Idle keep-alive sockets close after this long, well before any server's own idle timeout, so a reused socket is rarely one the server is closing. */
const IDLE_SOCKET_MS = 4000;
/** A larger answer is abandoned (1,000 recipients answer in about 200 KB). */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export type PostResult =
  | { kind: 'answered'; status: number; body: unknown }
  | { kind: 'failed'; code: string }
  | { kind: 'timeout' }
  | { kind: 'aborted' };

export interface FormPoster {
  post(url: string, headers: Readonly<Record<string, string>>, form: string, timeoutMs: number, signal?: AbortSignal): Promise<PostResult>;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function createFormPoster(maxSockets: number): FormPoster {
  let plain: http.Agent | undefined;
  let secure: https.Agent | undefined;
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
  const agentFor = (tls: boolean): http.Agent => (tls ? (secure ??= new https.Agent(options)) : (plain ??= new http.Agent(options)));

  function post(url: string, headers: Readonly<Record<string, string>>, form: string, timeoutMs: number, signal?: AbortSignal): Promise<PostResult> {
    return new Promise((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        finish({ kind: 'timeout' });
        request.destroy();
      }, timeoutMs);
      const finish = (result: PostResult): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const target = new URL(url);
      const tls = target.protocol === 'https:';
      const request = (tls ? https : http).request(target, {
        method: 'POST', agent: agentFor(tls),
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', 'content-length': String(Buffer.byteLength(form)) },
      }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            finish({ kind: 'failed', code: 'AnswerTooLarge' });
            request.destroy();
          } else chunks.push(chunk);
        });
        response.on('end', () => finish({ kind: 'answered', status: response.statusCode ?? 0, body: parseBody(Buffer.concat(chunks).toString('utf8')) }));
        response.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'failed', code: error.code ?? 'ECONNRESET' }));
        // Closed before its end: the connection dropped mid-answer.
        response.on('close', () => finish({ kind: 'failed', code: 'ECONNRESET' }));
      });
      const onAbort = (): void => {
        finish({ kind: 'aborted' });
        request.destroy();
      };
      request.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'failed', code: error.code ?? 'UnknownNetworkError' }));
      signal?.addEventListener('abort', onAbort, { once: true });
      request.end(form);
    });
  }

  return { post };
}
