import { Writable } from 'node:stream';
import { createLogger, maskPhone, maskPhones } from '../../src/kernel/logger';

describe('phone masking in logs', () => {
  it('masks Tanzanian numbers as +2557XXXXX678', () => {
    expect(maskPhone('+255712345678')).toBe('+2557XXXXX678');
    expect(maskPhone('255712345678')).toMatch(/^X+678$/);
  });

  it('masks numbers inside free text and leaves short numbers alone', () => {
    expect(maskPhones('from +255712345678 to +254711222333, code 2015')).toBe('from +2557XXXXX678 to +2547XXXXX333, code 2015');
  });

  it('masks every string a log line carries, nested or in the message', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const logger = createLogger('info', sink);
    logger.info({ phone: '+255712345678', nested: { to: ['+255621234567'] } }, 'sms to +255781234567');
    const line = lines.join('');
    expect(line).not.toMatch(/712345678|621234567|781234567/);
    expect(line).toContain('+2557XXXXX678');
    expect(line).toContain('+2556XXXXX567');
  });
});
