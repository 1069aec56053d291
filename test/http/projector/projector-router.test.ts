/** The projector's static router: trailing-slash redirect, strict CSP, no inline script, its files found from src and dist alike. */
import express from 'express';
import request from 'supertest';
import { createProjectorRouter, projectorPublicDir } from '../../../src/http/projector/projector-router';

describe('projector router', () => {
  const app = express().use('/projector', createProjectorRouter());

  it('redirects to the trailing slash and serves the page with a strict CSP and no referrer', async () => {
    await request(app).get('/projector').expect(301).expect('Location', '/projector/');
    const page = await request(app).get('/projector/').expect(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>|\son\w+=/);
    expect(page.text.match(/<script[^>]*>/g)).toEqual(['<script type="module" src="projector.js">']);
    await request(app).get('/projector/projector.js').expect(200).expect('Content-Type', /javascript/);
    await request(app).get('/projector/projector.css').expect(200).expect('Content-Type', /css/);
  });

  it('finds public/projector from src and from a compiled dist/src path alike', () => {
    expect(projectorPublicDir()).toMatch(/public[\\/]projector$/);
    expect(projectorPublicDir(`${__dirname}/../../../dist/src/http/projector`)).toBe(projectorPublicDir());
  });
});
