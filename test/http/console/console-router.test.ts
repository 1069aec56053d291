/** The console's static router: trailing-slash redirect, strict CSP, no inline scripts in the page. */
import express from 'express';
import request from 'supertest';
import { createConsoleRouter, consolePublicDir } from '../../../src/http/console/console-router';

describe('console router', () => {
  const app = express().use('/console', createConsoleRouter());

  it('redirects to the trailing slash and serves the page with a strict CSP', async () => {
    await request(app).get('/console').expect(301).expect('Location', '/console/');
    const page = await request(app).get('/console/').expect(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>|\son\w+=/);
    // One entry module; everything else arrives through its imports.
    expect(page.text.match(/<script[^>]*>/g)).toEqual(['<script type="module" src="app.js">']);
    await request(app).get('/console/app.js').expect(200).expect('Content-Type', /javascript/);
  });

  it('finds public/console from src and from a compiled dist/src path alike', () => {
    expect(consolePublicDir()).toMatch(/public[\\/]console$/);
    expect(consolePublicDir(`${__dirname}/../../../dist/src/http/console`)).toBe(consolePublicDir());
  });
});
