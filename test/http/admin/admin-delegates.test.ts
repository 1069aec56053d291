/** Delegates through the API: import with row errors, search, look up, export safely, erase. */
import request from 'supertest';
import { parseCsv } from '../../../src/kernel/text/csv';
import { ADMIN, PACK, VIEWER, createAdminStack, type AdminStack } from './support/admin-stack';

const auth = { Authorization: `Bearer ${ADMIN}` };
const CSV = [
  'phone,name,institution,institutionType,cohort,language',
  '0712345678,Asha Mushi,Wizara ya Fedha,ministry,1,sw',
  '+255 754 000 002,John Okello,eGA,agency,Cohort 2,en',
  '12345,Bad Phone,eGA,agency,1,sw',
  '0712345678,Asha Again,Wizara ya Fedha,ministry,1,sw',
  '0655000003,"=HYPERLINK(""http://x"")",Tume,commission,2,',
  '0655000004,No Type,Somewhere,spaceship,3,fr',
].join('\r\n');

describe('admin API: delegates', () => {
  let stack: AdminStack;
  beforeAll(async () => { stack = await createAdminStack(); });
  afterAll(async () => { await stack.close(); });

  it('imports a CSV: keeps valid rows, reports bad rows by line and duplicates', async () => {
    const response = await request(stack.app).post('/api/v1/delegates/import').set(auth).type('text/csv').send(CSV).expect(200);
    expect(response.body).toMatchObject({ rows: 6, created: 3, existing: [] });
    expect(response.body.duplicates).toEqual([{ line: 5, phone: '+255712345678', firstLine: 2 }]);
    expect(response.body.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ line: 4, field: 'phone' }),
      expect.objectContaining({ line: 7, field: 'institutionType' }),
      expect.objectContaining({ line: 7, field: 'cohort' }),
      expect.objectContaining({ line: 7, field: 'language' }),
    ]));
    expect(response.body.errors.filter((e: { line: number }) => e.line !== 4 && e.line !== 7)).toEqual([]);
    expect(await stack.delegates.count(PACK)).toBe(3);
    const again = await request(stack.app).post('/api/v1/delegates/import').set(auth).send({ csv: CSV.split('\r\n').slice(0, 3).join('\n') }).expect(200);
    expect(again.body).toMatchObject({ created: 0, existing: [{ line: 2, phone: '+255712345678' }, { line: 3, phone: '+255754000002' }] });
  });

  it('refuses a CSV without the needed columns', async () => {
    const response = await request(stack.app).post('/api/v1/delegates/import').set(auth).type('text/csv').send('phone,name\n0712,x').expect(400);
    expect(response.body.code).toBe('VALIDATION.CSV');
    expect(response.body.details.missing).toEqual(['institution', 'institutiontype', 'cohort', 'language'].map((c) => expect.stringMatching(new RegExp(c, 'i'))));
  });

  it('searches and filters', async () => {
    const byCohort = await request(stack.app).get('/api/v1/delegates?cohort=2').set(auth).expect(200);
    expect(byCohort.body.total).toBe(2);
    const search = await request(stack.app).get('/api/v1/delegates?search=asha&limit=1').set(auth).expect(200);
    expect(search.body).toMatchObject({ total: 1, limit: 1, offset: 0, items: [{ name: 'Asha Mushi', channel: 'import', registeredAt: '2015-08-10T07:00:00.000Z' }] });
    // A number as organisers type it, in any local or international form, or part of one.
    for (const typed of ['0712345678', '712345678', '+255 712 345 678', '255712345678', '0712 345', '712-345-678']) {
      const byPhone = await request(stack.app).get('/api/v1/delegates').query({ search: typed }).set(auth).expect(200);
      expect({ typed, names: byPhone.body.items.map((d: { name: string }) => d.name) }).toEqual({ typed, names: ['Asha Mushi'] });
    }
    const bad = await request(stack.app).get('/api/v1/delegates?limit=9999&colour=red').set(auth).expect(400);
    expect(bad.body.code).toBe('VALIDATION.FAILED');
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['limit']));
  });

  it('looks a delegate up by phone in any common form', async () => {
    await stack.reminders.subscribe(PACK, '+255712345678', 'S101');
    const found = await request(stack.app).get('/api/v1/delegates/255712345678').set(auth).expect(200);
    expect(found.body).toMatchObject({ phone: '+255712345678', name: 'Asha Mushi', reminders: ['S101'] });
    await request(stack.app).get(`/api/v1/delegates/${encodeURIComponent('+255 712 345 678')}`).set(auth).expect(200);
    expect((await request(stack.app).get('/api/v1/delegates/0799999999').set(auth).expect(404)).body.code).toBe('DELEGATE.NOT_FOUND');
    expect((await request(stack.app).get('/api/v1/delegates/abc').set(auth).expect(400)).body.code).toBe('VALIDATION.PHONE');
  });

  it('exports CSV with formula cells neutralised, and the export imports back unchanged', async () => {
    const response = await request(stack.app).get('/api/v1/delegates.csv').set(auth).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/attachment/);
    const rows = parseCsv(response.text).map((r) => r.cells);
    expect(rows[0]).toEqual(['phone', 'name', 'institution', 'institutionType', 'cohort', 'language', 'code', 'channel', 'registeredAt']);
    const cells = rows.slice(1).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells).toContain(`'=HYPERLINK("http://x")`);
    expect(cells).toContain("'+255712345678");
    const reimport = await request(stack.app).post('/api/v1/delegates/import').set(auth).type('text/csv').send(response.text).expect(200);
    expect(reimport.body).toMatchObject({ rows: 3, created: 0, errors: [] });
    expect(reimport.body.existing).toHaveLength(3);
  });

  it('shows a viewer every number masked, in every route that lists one', async () => {
    const viewer = { Authorization: `Bearer ${VIEWER}` };
    const full = /\+255\d{9}|255\d{9}|0\d{9}/;
    const answers = [
      await request(stack.app).get('/api/v1/delegates').set(viewer).expect(200),
      await request(stack.app).get('/api/v1/delegates?search=Asha').set(viewer).expect(200),
      await request(stack.app).get('/api/v1/delegates/0712345678').set(viewer).expect(200),
      await request(stack.app).get('/api/v1/delegates.csv').set(viewer).expect(200),
    ];
    for (const answer of answers) {
      expect(answer.text).not.toMatch(full);
      expect(answer.text).toContain('+2557XXXXX678');
    }
    // Admins still see the numbers they manage.
    expect((await request(stack.app).get('/api/v1/delegates/0712345678').set(auth).expect(200)).body.phone).toBe('+255712345678');
  });

  it('erases a delegate and their reminders', async () => {
    await request(stack.app).delete('/api/v1/delegates/0712345678').set(auth).expect(200, { erased: true });
    expect(await stack.delegates.get(PACK, '+255712345678')).toBeNull();
    expect(await stack.reminders.listForPhone(PACK, '+255712345678')).toEqual([]);
    await request(stack.app).delete('/api/v1/delegates/0712345678').set(auth).expect(404);
  });
});
