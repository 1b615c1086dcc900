import { chromium } from 'playwright-core';
import http from 'node:http'; import fs from 'node:fs'; import path from 'node:path';
const [site, out, width, y, ...pages] = process.argv.slice(2);
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.js': 'text/javascript' };
const server = http.createServer((req, res) => { let p = decodeURIComponent(new URL(req.url, 'http://x').pathname); if (p.endsWith('/')) p += 'index.html';
  fs.readFile(path.join(site, p), (e, d) => { if (e) { res.writeHead(404); res.end(); return; } res.writeHead(200, { 'content-type': types[path.extname(p)] || 'application/octet-stream' }); res.end(d); }); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const p of pages) { const page = await browser.newPage({ viewport: { width: +width, height: 800 } });
  await page.goto(`http://127.0.0.1:${server.address().port}${p}`); await page.evaluate((yy) => window.scrollTo(0, yy), +y);
  await page.screenshot({ path: `${out}/${p.replace(/\W+/g, '_')}-${width}-${y}.png` }); await page.close(); }
await browser.close(); server.close();
