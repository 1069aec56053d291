import { join } from 'node:path';
import { checkClashes } from '../../src/packs/check-clashes';
import { loadPacks } from '../../src/packs/load';
import { formatProblem } from '../../src/packs/problem';

const CLASHES = join(__dirname, '../fixtures/broken-packs/clashes');
const CLASH_CODES = ['FLOW.DUPLICATE_CODE', 'FLOW.PACK_KEYWORD_CLASH', 'FLOW.PACK_KEYWORD_IS_COMMAND', 'FLOW.DEFAULT_CLASH'];

describe('clashes between packs', () => {
  const { loaded, problems } = loadPacks(CLASHES);
  const clashes = problems.filter((p) => CLASH_CODES.includes(p.code)).map(formatProblem);

  test('flows:check reports each clash with file, path and fix, once', () => {
    expect(loaded.map((l) => l.pack.id)).toEqual(['alpha', 'beta', 'gamma']);
    expect(clashes.sort()).toEqual([
      "beta/pack.yaml: serviceCodes[1]: service code *384*901# is also used by pack 'alpha' (fix: give each pack its own code)",
      "beta/pack.yaml: sms.default: pack 'alpha' is already the default on short code 15001 (fix: mark one pack per short code as default: true)",
      "beta/pack.yaml: sms.keyword: pack keyword ALPHA is also the keyword of pack 'alpha' on short code 15001 (fix: give each pack on a short code its own keyword, e.g. its id in capitals)",
      ...['alpha', 'beta', 'gamma'].map((other) => `gamma/pack.yaml: sms.keyword: pack keyword RATIBA is also a command word of pack '${other}' (keywords.yaml) on short code 15001 (fix: choose a pack keyword that no command uses, e.g. the pack id in capitals)`),
    ].sort());
  });

  test('the two sample packs share short code 15001 without a clash', () => {
    const samples = loadPacks(join(__dirname, '../../flows')).loaded;
    expect(samples.map((l) => l.pack.id)).toEqual(['egov2015', 'egov2016']);
    expect(checkClashes(samples)).toEqual([]);
  });

  test('packs on different short codes may use the same keyword and each be default', () => {
    const [alpha, beta] = loaded;
    if (!alpha || !beta) throw new Error('fixtures missing');
    const apart = [alpha, { ...beta, pack: { ...beta.pack, serviceCodes: ['*384*902#'] }, sms: { shortCodes: ['15002'], keyword: 'ALPHA', default: true } }];
    expect(checkClashes(apart)).toEqual([]);
  });
});
