/** SMS_ROUTES, the SMPP settings and SMS_NETWORK_SHARES: read, checked together, secrets never shown. */
import { ConfigError, loadConfig } from '../../src/config/load';

const SMPP = { SMPP_URL: 'smpp://127.0.0.1:2775', SMPP_SYSTEM_ID: 'kiungo', SMPP_PASSWORD: 's3cr3t!x' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

test('unset: the one route SMS_PROVIDER names (the outbox without AT credentials)', () => {
  expect(loadConfig({}).routing).toEqual({ routes: ['outbox'], breakerFailures: 3, breakerOpenMs: 30_000 });
  expect(loadConfig({}).smpp).toBeUndefined();
});

test('a chain of AT then SMPP, with the SMPP settings and defaults', () => {
  const config = loadConfig({ SMS_ROUTES: 'africastalking, SMPP', AT_USERNAME: 'kiungo', AT_API_KEY: 'k', WEBHOOK_KEY: 'routes-webhook-key-7f3a9c41e2b8', AT_SENDER_ID: 'EGOV', ...SMPP });
  expect(config.routing.routes).toEqual(['africastalking', 'smpp']);
  expect(config.smpp).toMatchObject({ url: 'smpp://127.0.0.1:2775', systemId: 'kiungo', sourceAddr: 'EGOV', window: 10, ratePerSecond: 100, enquireLinkMs: 30_000, responseTimeoutMs: 10_000 });
});

test('a route without its settings, an unknown or repeated route, and bad shares are all reported at once', () => {
  expect(problems({ SMS_ROUTES: 'smpp,africastalking' })).toEqual([
    'SMS_ROUTES: the africastalking route needs AT_USERNAME and AT_API_KEY',
    'SMS_ROUTES: the smpp route needs SMPP_URL, SMPP_SYSTEM_ID and SMPP_PASSWORD',
  ]);
  expect(problems({ SMS_ROUTES: 'smpp,smpp', SMS_NETWORK_SHARES: 'vodacom:70,airtel:40', SMPP_URL: 'http://x' }).map((p) => p.split(':')[0])).toEqual(['SMS_ROUTES', 'SMS_NETWORK_SHARES', 'SMPP_URL']);
  expect(loadConfig({ SMS_NETWORK_SHARES: 'vodacom:40, Airtel:30' }).messaging.networkShares).toEqual({ vodacom: 40, airtel: 30 });
});

test('a bad SMPP password is reported without its value', () => {
  const found = problems({ SMPP_PASSWORD: 'much-too-long-password' });
  expect(found).toEqual(['SMPP_PASSWORD: expected at most 8 characters (the SMPP 3.4 limit)']);
});

test('SMS_NETWORK_SHARES names Yas `yas`, still reads the former name `tigo` as yas, and takes each network once', () => {
  expect(loadConfig({ SMS_NETWORK_SHARES: 'yas:20,vodacom:40' }).messaging.networkShares).toEqual({ yas: 20, vodacom: 40 });
  expect(loadConfig({ SMS_NETWORK_SHARES: 'Tigo:20' }).messaging.networkShares).toEqual({ yas: 20 });
  expect(problems({ SMS_NETWORK_SHARES: 'tigo:20,yas:10' }).map((p) => p.split(':')[0])).toEqual(['SMS_NETWORK_SHARES']);
  expect(problems({ SMS_NETWORK_SHARES: 'safaricom:20' }).map((p) => p.split(':')[0])).toEqual(['SMS_NETWORK_SHARES']);
});
