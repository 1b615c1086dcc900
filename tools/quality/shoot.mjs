// Screenshots of chosen pages of a built site at 360 and 1280 px, for looking at them by eye.
//
// Usage: node tools/quality/shoot.mjs SITE_DIR OUT_DIR /path/ [/other/path/ …]
// Serves SITE_DIR on 127.0.0.1 and writes OUT_DIR/<path>-360.png and -1280.png (full page).

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [site, out, ...pages] = process.argv.slice(2);
if (!site || !out || pages.length === 0) {
  console.error('usage: node tools/quality/shoot.mjs SITE_DIR OUT_DIR /path/ …');
  process.exit(2);
}
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.js': 'text/javascript' };
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (p.endsWith('/')) p += 'index.html';
  const file = path.join(site, path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(data);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
fs.mkdirSync(out, { recursive: true });
for (const p of pages) {
  for (const width of [360, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(base + p);
    const name = (p === '/' ? 'beranda' : p.replace(/^\/|\/$/g, '').replace(/[/.]/g, '-')) + `-${width}.png`;
    await page.screenshot({ path: path.join(out, name), fullPage: true });
    await page.close();
    console.log(path.join(out, name));
  }
}
await browser.close();
server.close();
