/** The agenda through the API: whole event, CSV round trip, session edits, reminders told. */
import request from 'supertest';
import { parseCsv } from '../../../src/kernel/text/csv';
import { ADMIN, createAdminStack, type AdminStack } from './support/admin-stack';

const auth = { Authorization: `Bearer ${ADMIN}` };
const session = { code: 'S901', day: '2015-08-17', start: '16:00', end: '17:00', title: { sw: 'Kikao kipya', en: 'New session' }, short: { sw: 'Kipya', en: 'New' }, speaker: 'Dkt. X', room: 'Ukumbi A', theme: null };

describe('admin API: agenda', () => {
  let stack: AdminStack;
  beforeAll(async () => { stack = await createAdminStack(); });
  afterAll(async () => { await stack.close(); });

  it('reads and replaces the event, refusing an unsound one with 422 and details', async () => {
    const event = (await request(stack.app).get('/api/v1/agenda').set(auth).expect(200)).body;
    expect(event.id).toBe('egov2015');
    const renamed = { ...event, venue: 'AICC, Arusha (Simba Hall)' };
    const stored = await request(stack.app).put('/api/v1/agenda').set(auth).send(renamed).expect(200);
    expect(stored.body.event.venue).toBe('AICC, Arusha (Simba Hall)');
    expect(stack.agendaChanges).toHaveLength(1);
    const unsound = { ...event, sessions: [{ ...session, day: '2030-01-01' }] };
    const refused = await request(stack.app).put('/api/v1/agenda').set(auth).send(unsound).expect(422);
    expect(refused.body).toMatchObject({ code: 'AGENDA.UNPROCESSABLE', details: [{ path: 'sessions[0].day' }] });
    const malformed = await request(stack.app).put('/api/v1/agenda').set(auth).send({ ...event, venue: '', extra: 1 }).expect(422);
    expect(malformed.body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['venue']));
    expect(stack.agendaChanges).toHaveLength(1);
  });

  it('refuses texts too long for any screen (a pasted 1.5 MB title), by every way in, with the field named', async () => {
    const event = (await request(stack.app).get('/api/v1/agenda').set(auth).expect(200)).body;
    const before = stack.agendaChanges.length;
    const huge = 'x'.repeat(1_500_000);
    const whole = await request(stack.app).put('/api/v1/agenda').set(auth).send({ ...event, sessions: [{ ...session, title: { sw: huge, en: 'ok' } }] }).expect(422);
    expect(whole.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'sessions.0.title.sw', message: 'at most 300 characters' })]));
    const added = await request(stack.app).post('/api/v1/agenda/sessions').set(auth).send({ ...session, code: 'S902', title: { sw: 'ok', en: 'y'.repeat(301) } });
    expect(added.status).toBeGreaterThanOrEqual(400);
    expect(added.status).toBeLessThan(500);
    const csv = `code,day,start,end,title_sw,title_en,short_sw,short_en,speaker,room,theme\nS903,2015-08-17,10:00,11:00,${'z'.repeat(120_000)},Title,Fupi,Short,,Hall A,\n`;
    await request(stack.app).post('/api/v1/agenda/import').set(auth).type('text/csv').send(csv).expect(422);
    expect(stack.agendaChanges).toHaveLength(before);
    // A real title at the limit still goes in (then the event is put back as it was).
    await request(stack.app).put('/api/v1/agenda').set(auth).send({ ...event, sessions: [...event.sessions, { ...session, code: 'S904', title: { sw: 'k'.repeat(300), en: 'ok' } }] }).expect(200);
    await request(stack.app).put('/api/v1/agenda').set(auth).send(event).expect(200);
  });

  it('counts CSV rows before reading them: a file of 60,000 rows gets one problem naming the limit', async () => {
    const before = stack.agendaChanges.length;
    const header = 'code,day,start,end,title_sw,title_en,short_sw,short_en,speaker,room,theme\n';
    const csv = header + 'X,bad,,,,,,,,,\n'.repeat(60_000);
    const refused = await request(stack.app).post('/api/v1/agenda/import').set(auth).type('text/csv').send(csv).expect(422);
    expect(refused.body.details).toEqual([{ line: 1002, path: 'rows', message: 'at most 1000 sessions per agenda; this file has 60000 rows' }]);
    expect(stack.agendaChanges).toHaveLength(before);
  });

  it('adds, changes and removes a session, telling reminders each time', async () => {
    const before = stack.agendaChanges.length;
    await request(stack.app).post('/api/v1/agenda/sessions').set(auth).send(session).expect(201);
    expect((await request(stack.app).post('/api/v1/agenda/sessions').set(auth).send(session).expect(409)).body.code).toBe('SESSION.CONFLICT');
    const moved = await request(stack.app).patch('/api/v1/agenda/sessions/s901').set(auth).send({ start: '15:00' }).expect(200);
    expect(moved.body.event.sessions.find((s: { code: string }) => s.code === 'S901')).toMatchObject({ start: '15:00', end: '17:00' });
    const change = stack.agendaChanges.at(-1);
    expect(change?.before.sessions.find((s) => s.code === 'S901')?.start).toBe('16:00');
    expect(change?.after.sessions.find((s) => s.code === 'S901')?.start).toBe('15:00');
    await request(stack.app).patch('/api/v1/agenda/sessions/S901').set(auth).send({ end: '14:00' }).expect(422);
    await request(stack.app).patch('/api/v1/agenda/sessions/S901').set(auth).send({ code: 'X1' }).expect(400);
    await request(stack.app).delete('/api/v1/agenda/sessions/S901').set(auth).expect(200);
    await request(stack.app).delete('/api/v1/agenda/sessions/S901').set(auth).expect(404);
    expect(stack.agendaChanges.length - before).toBe(3);
  });

  it('exports sessions as CSV and imports them back; bad rows are reported by line, nothing stored', async () => {
    const csv = (await request(stack.app).get('/api/v1/agenda.csv').set(auth).expect(200)).text;
    const rows = parseCsv(csv);
    expect(rows[0]?.cells).toEqual(['code', 'day', 'start', 'end', 'title_sw', 'title_en', 'short_sw', 'short_en', 'speaker', 'room', 'theme', 'speaker_en']);
    // A speaker with a title is bilingual: Kiswahili in `speaker`, English in `speaker_en`.
    // Every cell is quoted (a spreadsheet reading `;` as the separator still sees one cell each).
    expect(csv).toContain('"Dkt. Jabiri Kuwe Bakari","Kilimanjaro Hall","","Dr. Jabiri Kuwe Bakari"');
    expect(rows.find((r) => r.cells[0] === 'S405')?.cells).toEqual(['S405', '2015-08-20', '15:00', '16:00', 'Kufunga mkutano', 'Closing of the conference', 'Kufunga mkutano', 'Closing', 'Dkt. Jabiri Kuwe Bakari', 'Kilimanjaro Hall', '', 'Dr. Jabiri Kuwe Bakari']);
    const count = rows.length - 1;
    const trimmed = csv.split('\r\n').slice(0, 3).join('\r\n');
    const imported = await request(stack.app).post('/api/v1/agenda/import').set(auth).type('text/csv').send(trimmed).expect(200);
    expect(imported.body.event.sessions).toHaveLength(2);
    const bad = `${trimmed}\r\nS9,2015-08-17,9:00,10:00,a,b,c,d,,Room,\r\nS902,2015-08-17,09:00,10:00,a,b,c,d,,Room,T99\r\n`;
    const refused = await request(stack.app).post('/api/v1/agenda/import').set(auth).type('text/csv').send(bad).expect(422);
    expect(refused.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ line: 4, path: 'start' })]));
    await request(stack.app).post('/api/v1/agenda/import').set(auth).send({ csv }).expect(200);
    const back = (await request(stack.app).get('/api/v1/agenda').set(auth)).body;
    expect(back.sessions).toHaveLength(count);
  });
});
