/**
 * A hop's start in one round trip (lock, snapshot, caller's records and resume pointer in one
 * script, as on one Redis) answers exactly as the start read apart (as on a Redis Cluster): the
 * same screens for a registration with a retry, an invitee, a caller who chose English, a resumed
 * drop and a concurrent hop; and on one Redis a hop costs two commands, one to start it and one to
 * finish it (with the phone's resume pointer).
 */
import { AtPhone } from '../support/at-phone';
import { createUssdStack, type UssdStack } from '../support/ussd-stack';

/** Plays the same conversations on a fresh stack; returns every screen in order. */
async function conversations(stack: UssdStack): Promise<string[]> {
  const screens: string[] = [];
  const registering = new AtPhone(stack.app, '+255754100001');
  screens.push(await registering.dial(), await registering.send('1'), await registering.send('Asha Juma'));
  screens.push(await registering.retry());
  for (const input of ['Wizara ya Fedha', '1', '1', '1']) screens.push(await registering.send(input));
  screens.push(await new AtPhone(stack.app, '+255754100001').dial());

  await stack.invitees.putMany('egov2015', [{ phone: '+255754100002', name: 'Dkt. Neema Kimaro', institution: 'TANESCO', institutionType: '', cohort: '', invitedAt: '2015-08-01T00:00:00.000Z' }]);
  screens.push(await new AtPhone(stack.app, '+255754100002').dial());

  const english = new AtPhone(stack.app, '+255754100003');
  await english.dial();
  await english.send('5');
  screens.push(await english.send('2'), await new AtPhone(stack.app, '+255754100003').dial());

  const dropping = new AtPhone(stack.app, '+255754100004');
  await dropping.dial();
  await dropping.send('1');
  screens.push(await dropping.send('Baraka Mushi'));
  const back = new AtPhone(stack.app, '+255754100004');
  screens.push(await back.dial(), await back.send('1'));

  const twice = new AtPhone(stack.app, '+255754100005');
  await twice.dial();
  screens.push(...(await Promise.all([twice.send('1'), twice.retry()])));
  return screens;
}

test('one round trip and reads apart give the same screens', async () => {
  const oneTrip = await createUssdStack();
  const apart = await createUssdStack({ oneRoundTripStart: false });
  try {
    // Registration codes are random: compared without them.
    const codeless = (screens: string[]): string[] => screens.map((screen) => screen.replace(/usajili: [A-Z0-9]{5}/, 'usajili: CODE'));
    const [withStarter, withoutStarter] = [codeless(await conversations(oneTrip)), codeless(await conversations(apart))];
    expect(withStarter).toEqual(withoutStarter);
    expect(withStarter.every((screen) => /^(CON|END) /.test(screen))).toBe(true);
    // A retry gets the same bytes; the registered caller's next dial shows their registration; the
    // invitee is greeted by name; the caller who chose English gets it on the next dial; the drop
    // resumes where it was; a hop and its concurrent retry answer alike.
    expect(withStarter[3]).toBe(withStarter[2]);
    expect(withStarter[8]).toMatch(/1\. Usajili wangu/);
    expect(withStarter[9]).toMatch(/^CON Karibu Dkt\. Neema Kimaro, TANESCO\./);
    expect(withStarter[11]).toMatch(/^CON Welcome to the e-Government Conference 2015/);
    expect(withStarter[13]).toMatch(/1\. Endelea/);
    expect(withStarter[14]).toBe(withStarter[12]);
    expect(withStarter[16]).toBe(withStarter[15]);
  } finally {
    await Promise.all([oneTrip.close(), apart.close()]);
  }
});

test('on one Redis a hop sends two commands: its start and its finish', async () => {
  const stack = await createUssdStack();
  try {
    const phone = new AtPhone(stack.app, '+255754100006');
    // The agenda is read once and kept for a while (the agenda store's cache): warm it first.
    await new AtPhone(stack.app, '+255754100007').dial();
    const names = ['evalsha', 'eval', 'get', 'hgetall', 'hget', 'smembers', 'set', 'del'] as const;
    const spies = names.map((name) => jest.spyOn(stack.redis as unknown as Record<string, (...args: unknown[]) => unknown>, name));
    // A dial (reads the resume pointer), the hop that sets the phone's resume pointer, and one more.
    await phone.dial();
    await phone.send('1');
    await phone.send('Asha Juma');
    // One script to start each hop, one to finish it: nothing else on the way.
    expect(Object.fromEntries(names.map((name, i) => [name, spies[i]?.mock.calls.length]))).toEqual({ evalsha: 6, eval: 0, get: 0, hgetall: 0, hget: 0, smembers: 0, set: 0, del: 0 });
    expect(JSON.parse((await stack.redis.get(stack.keys.ussd.resume(phone.phoneNumber))) ?? 'null')).toEqual({ sessionId: phone.sessionId, packId: 'egov2015' });
    for (const spy of spies) spy.mockRestore();
  } finally {
    await stack.close();
  }
});
