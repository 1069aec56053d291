/** The one reader of Africa's Talking's urlencoded callback forms. */
import express from 'express';
import request from 'supertest';
import { agreedValue, firstValue, formRecord, parseFormBody, readForm } from '../../../src/providers/africastalking/at-form';

describe("AT form bodies", () => {
  it('parses a body exactly as the express route does, repeated names included', async () => {
    const app = express().post('/', express.urlencoded({ extended: false }), (req, res) => { res.json(req.body); });
    for (const body of ['sessionId=ATUid_1&text=1*2&phoneNumber=%2B255712345678', 'text=1&text=2&text=1', 'a=&b=x+y&c=%F0%9F%98%80&c', 'phoneNumber=+255712345678']) {
      const viaExpress = (await request(app).post('/').type('form').send(body)).body as unknown;
      expect({ body, fields: parseFormBody(body) }).toEqual({ body, fields: viaExpress });
    }
  });

  it('trusts a repeated field only when every copy agrees', () => {
    expect(agreedValue(undefined)).toBeUndefined();
    expect(agreedValue('1*2')).toBe('1*2');
    expect(agreedValue(['1*2', '1*2'])).toBe('1*2');
    expect(agreedValue(['1*2', '1*3'])).toBeNull();
    expect(agreedValue({ nested: 'x' })).toBeNull();
  });

  it('reads lenient callbacks from the first copy, and only text', () => {
    expect(firstValue(['first', 'second'])).toBe('first');
    expect(firstValue('only')).toBe('only');
    expect(firstValue([{ x: 1 }])).toBeUndefined();
    expect(formRecord(undefined)).toEqual({});
    expect(formRecord('text=1')).toEqual({});
  });

  it('keeps only the named fields, leaving out absent, non-text and over-long ones', () => {
    const body = { id: ['ATXid_1', 'ATXid_2'], status: 'Success', failureReason: 'x'.repeat(201), extra: 'ignored', retryCount: { n: 1 } };
    expect(readForm(body, ['id', 'status', 'failureReason', 'retryCount', 'phoneNumber'] as const, 200)).toEqual({ id: 'ATXid_1', status: 'Success' });
    expect(readForm(body, ['failureReason'] as const)).toEqual({ failureReason: 'x'.repeat(201) });
    expect(readForm(null, ['id'] as const)).toEqual({});
  });
});
