/**
 * A stand-in for the gateway's Africa's Talking webhooks: a three-screen USSD menu, the
 * end-of-session and incoming-SMS callbacks, all recorded so tests can check what the page sent.
 * Swap these mounts for the real gateway's to run the same page tests end to end.
 */
import express, { type Router } from 'express';
import type { Mount } from '../../../src/http/app';

export type Form = Record<string, string>;

export interface FakeGateway {
  mounts: Mount[];
  ussdHops: Form[];
  ussdEvents: Form[];
  sms: Form[];
}

const SCREENS: Record<string, string> = {
  '': 'CON Karibu Kiungo\n1. Ratiba\n2. Msaada\n3. Emoji',
  '1': 'CON Ratiba ya leo:\n1. Ufunguzi 09:00\n2. Jopo 11:00\n0. Rudi',
  '1*1': 'END Umejiandikisha kwa Ufunguzi. Asante!',
  '2': 'END Tuma MSAADA kwa 15001.',
  '3': 'END Karibu 😀',
};

function webhooks(record: FakeGateway, key: string | undefined, screens: Record<string, string>): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));
  router.use((req, res, next) => {
    if (key !== undefined && req.query.key !== key) {
      res.status(401).json({ code: 'AUTH.UNAUTHENTICATED', message: 'bad key' });
      return;
    }
    next();
  });
  router.post('/ussd', (req, res) => {
    const body = req.body as Form;
    record.ussdHops.push(body);
    res.type('text/plain').send(screens[body.text ?? ''] ?? 'END Chaguo batili.');
  });
  router.post('/ussd-events', (req, res) => {
    record.ussdEvents.push(req.body as Form);
    res.type('text/plain').send('OK');
  });
  router.post('/sms', (req, res) => {
    record.sms.push(req.body as Form);
    res.sendStatus(200);
  });
  return router;
}

/**
 * The fake webhooks, mounted where AT calls the real ones; `key` makes them demand ?key=, and
 * `screens` (answer by `text`) replaces the three-screen menu.
 */
export function createFakeGateway(options: { key?: string; screens?: Record<string, string> } = {}): FakeGateway {
  const record: FakeGateway = { mounts: [], ussdHops: [], ussdEvents: [], sms: [] };
  record.mounts.push({ path: '/webhooks/africastalking', router: webhooks(record, options.key, options.screens ?? SCREENS) });
  return record;
}

/** One entry of `GET /api/v1/packs`, as the gateway lists the packs a token may see. */
export interface PackSummary {
  id: string;
  name: { sw: string; en: string };
  serviceCodes: string[];
  shortCodes: string[];
  keyword: string;
  sample: boolean;
}

export interface FakePackApi {
  mount: Mount;
  /** The `pack` parameter of every call after the pack list (undefined when it had none). */
  packParams: Array<{ path: string; pack: string | undefined }>;
}

/**
 * The admin API of a gateway with several packs: `GET /packs` lists them (for `token` only) and
 * every other call goes to the router of the pack named by `?pack=`, or the first pack's without
 * one, as a one-pack gateway would answer. Each router is a real admin API fixed to its pack.
 */
export function createFakePackApi(packs: Array<{ summary: PackSummary; router: Router }>, token: string): FakePackApi {
  const packParams: FakePackApi['packParams'] = [];
  const router = express.Router();
  router.get('/packs', (req, res) => {
    if (req.get('authorization') !== `Bearer ${token}`) {
      res.status(401).json({ code: 'AUTH.UNAUTHENTICATED', message: 'That token is not valid.' });
      return;
    }
    res.json(packs.map((pack) => pack.summary));
  });
  router.use((req, res, next) => {
    const url = new URL(req.url, 'http://fake');
    const pack = url.searchParams.get('pack') ?? undefined;
    packParams.push({ path: url.pathname, pack });
    const [first] = packs;
    const chosen = pack === undefined ? first : packs.find((p) => p.summary.id === pack);
    if (!chosen) {
      res.status(404).json({ code: 'PACK.NOT_FOUND', message: `No pack '${pack}'.` });
      return;
    }
    // The pack routers predate the parameter (their query schemas are strict): hand them the call without it.
    url.searchParams.delete('pack');
    req.url = `${url.pathname}${url.search}`;
    chosen.router(req, res, next);
  });
  return { mount: { path: '/api/v1', router }, packParams };
}
