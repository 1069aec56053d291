/**
 * The phone simulator: a static page under `public/simulator/` that drives the gateway's real
 * Africa's Talking webhooks from a browser, plus the two small JSON endpoints the page needs
 * (its configuration and each phone's SMS inbox, read from the local outbox).
 */
import express, { type RequestHandler, type Router } from 'express';
import { pageSecurityHeaders, publicDir, trailingSlash } from '../static-pages';
import { AppError } from '../../kernel/errors';
import { normalisePhone } from '../../kernel/phone';
import { webhookKeyCheck } from '../webhooks/webhook-auth';
import type { OutboxItem } from '../admin/admin-deps';

/** One message the outbox holds for a phone, as the page shows it (the admin API's outbox item). */
export type InboxItem = OutboxItem;

/**
 * Messages sent to `phone` after the message `sinceId` (all when absent), oldest first, at most
 * `limit`. Only the outbox provider has one.
 */
export type InboxReader = (phone: string, sinceId?: string, limit?: number) => Promise<InboxItem[]>;

/** One service (flow pack) as the page offers it: what to dial, where to text. */
export interface SimulatorService {
  id: string;
  name: { sw: string; en: string };
  serviceCodes: string[];
  shortCodes: string[];
  /** The word that opens an SMS to a short code several services share (e.g. `EGOV2016 RATIBA`). */
  keyword?: string;
}

export interface SimulatorDeps {
  /** Service codes the flow packs answer on; the first is the page's default. */
  serviceCodes: string[];
  /** The short code keywords are texted to when no service names its own. */
  shortCode: string;
  /** The services by name, with their own codes; without them the page offers the bare codes. */
  services?: SimulatorService[];
  /** GSM-7 screen budget (USSD_MAX_SCREEN_CHARS); UCS-2 screens get 70. */
  maxScreenChars: number;
  /** True when the webhooks demand `?key=`: the page asks the person for it once. */
  webhookKeyRequired: boolean;
  /** Present only with the outbox provider; without it the inbox endpoint answers 404. */
  inbox?: InboxReader;
  /** When set, the inbox endpoint demands the same `?key=` as the webhooks (it shows personal data). */
  webhookKey?: string;
}

const INBOX_PAGE = 50;
const MESSAGE_ID = /^[\w:.-]{1,100}$/;

/** The services the page offers: the given ones, or one nameless service holding every code. */
function servicesOf(deps: SimulatorDeps): Array<Omit<SimulatorService, 'id' | 'name'> & Partial<SimulatorService>> {
  if (deps.services && deps.services.length > 0) return deps.services;
  return [{ serviceCodes: deps.serviceCodes, shortCodes: [deps.shortCode] }];
}

/** Security headers for every simulator response. */
const securityHeaders = pageSecurityHeaders("'none'");

/** The folder holding the page (found from src/ and dist/src/ alike). */
export function simulatorPublicDir(from: string = __dirname): string {
  return publicDir('simulator', from);
}

function inboxHandler(deps: SimulatorDeps): RequestHandler {
  const keyMatches = webhookKeyCheck(deps.webhookKey);
  return async (req, res) => {
    const inbox = deps.inbox;
    if (!inbox) throw new AppError('INBOX.NOT_FOUND', 'No SMS inbox: the gateway sends through Africa\'s Talking, not the local outbox (SMS_PROVIDER=outbox).');
    if (!keyMatches(req.query.key)) {
      throw new AppError('AUTH.UNAUTHENTICATED', 'The inbox needs the webhook key as ?key=.');
    }
    const { phone, since } = req.query;
    // The page sends the number as typed: `0787654321` is the same phone as `+255787654321`.
    const normalised = typeof phone === 'string' ? normalisePhone(phone) : undefined;
    if (!normalised?.ok) {
      throw new AppError('VALIDATION.PHONE', 'phone must be a mobile number such as 0712345678 or +255712345678 (encode + as %2B).');
    }
    if (since !== undefined && (typeof since !== 'string' || !MESSAGE_ID.test(since))) {
      throw new AppError('VALIDATION.SINCE', 'since must be the id of a message this inbox returned.');
    }
    const items = await inbox(normalised.e164, since, INBOX_PAGE);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: items.map(({ id, to, text, at, state, reason }) => ({ id, to, text, at, state, ...(reason ? { reason } : {}) })) });
  };
}

/**
 * The router to mount at `/simulator`: the page (with a strict CSP), `config.json` and
 * `api/inbox`. It never calls the webhooks itself; the page does, over HTTP, like AT would.
 */
export function createSimulatorRouter(deps: SimulatorDeps, publicDir: string = simulatorPublicDir()): Router {
  const router = express.Router({ strict: true });
  router.use(securityHeaders);
  router.get('/', trailingSlash);
  router.get('/config.json', (_req, res) => {
    res.json({
      webhookKeyRequired: deps.webhookKeyRequired,
      serviceCodes: deps.serviceCodes,
      shortCode: deps.shortCode,
      services: servicesOf(deps),
      maxScreenChars: deps.maxScreenChars,
      outbox: deps.inbox !== undefined,
    });
  });
  router.get('/api/inbox', inboxHandler(deps));
  router.use(express.static(publicDir, { index: 'index.html', dotfiles: 'ignore', redirect: false, fallthrough: true }));
  return router;
}
