import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load';
import { ENV_DOCS, envSchema } from '../../src/config/schema';

const root = path.resolve(__dirname, '../..');

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.mode).toBe('all');
    expect(config.sms.provider).toBe('outbox');
    expect(config.locale).toEqual({ defaultLanguage: 'sw', timeZone: 'Africa/Dar_es_Salaam' });
    expect(config.flows.dir).toBe('flows/');
    expect(config.redis.url).toBeUndefined();
    expect(Object.isFrozen(config.ussd)).toBe(true);
  });

  it('picks africastalking when credentials are set', () => {
    const key = { WEBHOOK_KEY: '7f3a9c41e2b85d06af19c3e7' };
    expect(loadConfig({ AT_USERNAME: 'kiungo', AT_API_KEY: 'k', ...key }).sms.provider).toBe('africastalking');
    expect(loadConfig({ AT_USERNAME: 'kiungo', AT_API_KEY: 'k', SMS_PROVIDER: 'outbox', ...key }).sms.provider).toBe('outbox');
  });

  it('reports every bad variable at once, by name, with what it expects', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'nope', SMS_PROVIDER: 'carrier-pigeon' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('PORT:'))).toMatch(/whole number/);
    expect(problems.find((p) => p.startsWith('REDIS_URL:'))).toMatch(/redis:\/\//);
    expect(problems.find((p) => p.startsWith('SMS_PROVIDER:'))).toMatch(/africastalking or outbox/);
  });

  it('parses admin tokens and rejects short or unknown-role ones', () => {
    const config = loadConfig({ ADMIN_TOKENS: 'admin:aaaaaaaaaaaaaaaa, viewer:bbbbbbbbbbbbbbbb' });
    expect(config.security.adminTokens).toEqual([
      { role: 'admin', token: 'aaaaaaaaaaaaaaaa' },
      { role: 'viewer', token: 'bbbbbbbbbbbbbbbb' },
    ]);
    expect(() => loadConfig({ ADMIN_TOKENS: 'root:short' })).toThrow(/ADMIN_TOKENS/);
  });

  it('limits a token to named packs, and never prints a secret in a problem', () => {
    const config = loadConfig({ ADMIN_TOKENS: 'admin:aaaaaaaaaaaaaaaa:egov2015+egov2016,viewer:bbbbbbbbbbbbbbbb:egov2016' });
    expect(config.security.adminTokens).toEqual([
      { role: 'admin', token: 'aaaaaaaaaaaaaaaa', packs: ['egov2015', 'egov2016'] },
      { role: 'viewer', token: 'bbbbbbbbbbbbbbbb', packs: ['egov2016'] },
    ]);
    let error: unknown;
    try {
      loadConfig({ ADMIN_TOKENS: 'admin:secret-value-0123456789:Bad_Pack,viewer:tiny', WEBHOOK_KEY: 'short-secret' });
    } catch (caught) {
      error = caught;
    }
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ADMIN_TOKENS: entry 1 \(admin\): after the token, name the packs/),
      expect.stringMatching(/^ADMIN_TOKENS: entry 2 \(viewer\): the token must be at least 16/),
      expect.stringMatching(/^WEBHOOK_KEY: /),
    ]));
    const shown = problems.join('\n');
    for (const secret of ['secret-value-0123456789', 'tiny', 'short-secret']) expect(shown).not.toContain(secret);
  });

  it('reads DEFAULT_PACK as a pack id', () => {
    expect(loadConfig({}).flows.defaultPack).toBeUndefined();
    expect(loadConfig({ DEFAULT_PACK: 'egov2016' }).flows.defaultPack).toBe('egov2016');
    expect(() => loadConfig({ DEFAULT_PACK: 'EGOV 2016' })).toThrow(/DEFAULT_PACK: expected a pack id/);
  });

  it('refuses production without a webhook key, and africastalking without credentials', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/WEBHOOK_KEY/);
    expect(() => loadConfig({ SMS_PROVIDER: 'africastalking' })).toThrow(/AT_USERNAME/);
  });

  it('reads TRUST_PROXY as express trust-proxy values that name the proxy', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).http.trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8 ,2001:db8::1,uniquelocal' }).http.trustProxy).toEqual(['loopback', '10.0.0.0/8', '2001:db8::1', 'uniquelocal']);
  });

  it('refuses TRUST_PROXY=true, saying to name the proxy, and malformed proxy lists', () => {
    for (const value of ['true', 'TRUE', 'yes']) expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: true would trust any X-Forwarded-For.*name the proxy/);
    for (const value of ['everything', '10.0.0.0/33', '10.0.0.1/8/1', '300.1.1.1', 'loopback,,nope', '11'])
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: expected false, a hop count/);
  });

  it('accepts the four Redis URL forms', () => {
    for (const url of ['redis://127.0.0.1:6379', 'rediss://u:p@redis.example:6380/2', 'redis-sentinel://s1:26379,s2:26379/mymaster', 'redis-cluster://n1:7000,n2:7001'])
      expect(loadConfig({ REDIS_URL: url }).redis.url).toBe(url);
  });
});

describe('documentation of the environment', () => {
  const example = readFileSync(path.join(root, '.env.example'), 'utf8');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

  it('documents every schema variable exactly once in ENV_DOCS', () => {
    expect(ENV_DOCS.map(([name]) => name).sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('.env.example sets nothing when copied as compose\'s .env (the image keeps NODE_ENV=production)', () => {
    expect(example.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'))).toEqual([]);
  });

  it('.env.example lists every variable with its default', () => {
    const lines = example.split('\n').filter((line) => /^#?\s*[A-Z_]+=/.test(line));
    const entries = new Map(lines.map((line) => {
      const [name, ...rest] = line.replace(/^#\s*/, '').split('=');
      return [name ?? '', rest.join('=')];
    }));
    for (const [name, fallback] of ENV_DOCS) {
      expect(entries.has(name)).toBe(true);
      if (fallback !== undefined) expect(entries.get(name)).toBe(fallback);
    }
    expect(entries.size).toBe(ENV_DOCS.length);
  });

  it('the README configuration table names every variable', () => {
    for (const [name] of ENV_DOCS) expect(readme).toContain(`| \`${name}\``);
  });
});

describe('safe by default', () => {
  const STRONG = '7f3a9c41e2b85d06af19c3e7';
  const OTHER = 'b41c9e07d2a85f3e16c0a9d4';

  it('asks for a webhook key whenever Africa\'s Talking credentials are set, whatever NODE_ENV says', () => {
    for (const NODE_ENV of ['development', 'test', undefined])
      expect(() => loadConfig({ ...(NODE_ENV ? { NODE_ENV } : {}), AT_USERNAME: 'kiungo', AT_API_KEY: 'atsk_live' })).toThrow(/WEBHOOK_KEY: required whenever Africa's Talking credentials are set/);
    expect(() => loadConfig({ SMS_PROVIDER: 'africastalking', AT_USERNAME: 'kiungo', AT_API_KEY: 'x' })).toThrow(/WEBHOOK_KEY/);
    expect(loadConfig({ AT_USERNAME: 'kiungo', AT_API_KEY: 'atsk_live', WEBHOOK_KEY: STRONG }).security.webhookKey).toBe(STRONG);
    expect(loadConfig({}).security.webhookKey).toBeUndefined();
  });

  it('refuses weak webhook keys (short, few characters, a repeated pattern) without showing them', () => {
    for (const weak of ['0123456789abcdef', 'k'.repeat(40), 'abababababababababababababab', '012345678901234567890123456789']) {
      let error: unknown;
      try { loadConfig({ WEBHOOK_KEY: weak }); } catch (caught) { error = caught; }
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^WEBHOOK_KEY: expected .*openssl rand -hex 24/);
      expect(problems).not.toContain(weak);
    }
    expect(loadConfig({ WEBHOOK_KEY: 'compiled-smoke-webhook-key' }).security.webhookKey).toBe('compiled-smoke-webhook-key');
  });

  it('refuses a webhook key or metrics token that is also an admin token', () => {
    expect(() => loadConfig({ WEBHOOK_KEY: STRONG, ADMIN_TOKENS: `admin:${STRONG}` })).toThrow(/WEBHOOK_KEY: must differ from every admin token/);
    expect(() => loadConfig({ METRICS_TOKEN: STRONG, ADMIN_TOKENS: `viewer:${STRONG}` })).toThrow(/METRICS_TOKEN: must differ/);
    expect(() => loadConfig({ METRICS_TOKEN: STRONG, WEBHOOK_KEY: STRONG })).toThrow(/METRICS_TOKEN: must differ/);
    expect(loadConfig({ METRICS_TOKEN: OTHER, WEBHOOK_KEY: STRONG }).http.metricsToken).toBe(OTHER);
  });

  it('refuses the outbox in production unless asked for explicitly', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOK_KEY: STRONG })).toThrow(/SMS_PROVIDER: outbox in production sends no SMS.*ALLOW_OUTBOX_IN_PRODUCTION=true/);
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOK_KEY: STRONG, SMS_PROVIDER: 'outbox', AT_USERNAME: 'k', AT_API_KEY: 'k' })).toThrow(/SMS_PROVIDER: outbox in production/);
    expect(loadConfig({ NODE_ENV: 'production', WEBHOOK_KEY: STRONG, ALLOW_OUTBOX_IN_PRODUCTION: 'true' }).sms.provider).toBe('outbox');
    expect(loadConfig({ NODE_ENV: 'production', WEBHOOK_KEY: STRONG, AT_USERNAME: 'k', AT_API_KEY: 'k' }).sms.provider).toBe('africastalking');
  });

  it('sets the server timeouts explicitly, headers within the request', () => {
    expect(loadConfig({}).http).toMatchObject({ headersTimeoutMs: 10000, requestTimeoutMs: 30000 });
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '5000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS: must not be longer/);
  });

  it('never shows a password held in a URL in a problem', () => {
    let error: unknown;
    try { loadConfig({ REDIS_URL: 'http://kiungo:s3cr3t-redis-pass@redis:6379', PUBLIC_URL: 'not a url://u:topsecret@x' }); } catch (caught) { error = caught; }
    const shown = (error as ConfigError).problems.join('\n');
    expect(shown).toMatch(/REDIS_URL: .*\/\/\*\*\*@redis/);
    expect(shown).not.toContain('s3cr3t');
    expect(shown).not.toContain('topsecret');
  });
});
