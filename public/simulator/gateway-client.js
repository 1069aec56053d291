// HTTP calls to the gateway: the real Africa's Talking webhooks (form-urlencoded, as AT sends
// them) and the simulator's own JSON endpoints. The webhook key, when there is one, rides as ?key=.

const USSD_TIMEOUT_MS = 15000;

/**
 * A client bound to the page's location. `getKey()` returns the stored webhook key or '';
 * `onUnauthorized()` is called when the gateway refuses the key (401/403).
 */
export function createGatewayClient({ getKey, onUnauthorized }) {
  function url(relative, query = {}) {
    const target = new URL(relative, document.baseURI);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) target.searchParams.set(name, value);
    const key = getKey();
    if (key) target.searchParams.set('key', key);
    return target.toString();
  }

  async function postForm(relative, fields, timeoutMs = USSD_TIMEOUT_MS) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(url(relative), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        body: new URLSearchParams(fields).toString(),
        signal: controller.signal,
      });
      if (response.status === 401 || response.status === 403) onUnauthorized();
      return { status: response.status, body: await response.text() };
    } catch {
      return { status: 0, body: '' };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    /** One USSD hop: `{ status, body }`; status 0 when the gateway could not be reached in time. */
    ussd: (fields) => postForm('../webhooks/africastalking/ussd', fields),
    /** The end-of-session notification AT posts when a session closes. */
    ussdEvent: (fields) => postForm('../webhooks/africastalking/ussd-events', fields),
    /** An incoming SMS, as AT delivers it from the short code. */
    sms: (fields) => postForm('../webhooks/africastalking/sms', fields),
    async config() {
      const response = await fetch(new URL('./config.json', document.baseURI));
      if (!response.ok) throw new Error(`config.json answered ${response.status}`);
      return response.json();
    },
    /** `{ status, items }` for one phone; status 404 means no outbox on this gateway. */
    async inbox(phone, since) {
      try {
        const response = await fetch(url('./api/inbox', { phone, since }));
        if (!response.ok) return { status: response.status, items: [] };
        const body = await response.json();
        return { status: response.status, items: Array.isArray(body.items) ? body.items : [] };
      } catch {
        return { status: 0, items: [] };
      }
    },
  };
}
