import { chromium } from 'playwright-core';
import http from 'node:http'; import fs from 'node:fs'; import path from 'node:path';
const [site, ...pages] = process.argv.slice(2);
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = http.createServer((req, res) => { let p = decodeURIComponent(new URL(req.url, 'http://x').pathname); if (p.endsWith('/')) p += 'index.html';
  fs.readFile(path.join(site, p), (e, d) => { if (e) { res.writeHead(404); res.end(); return; } res.writeHead(200, { 'content-type': types[path.extname(p)] || 'application/octet-stream' }); res.end(d); }); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const p of pages) { const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
  await page.goto(`http://127.0.0.1:${server.address().port}${p}`);
  const r = await page.evaluate(() => { const out=[]; for (const el of document.querySelectorAll('body *')) { const b = el.getBoundingClientRect(); if (b.right > 362) out.push(el.tagName+'.'+el.className+' '+Math.round(b.right)+' '+(el.textContent||'').slice(0,40)); } return [document.documentElement.scrollWidth, out.slice(0,12)]; });
  console.log(p, JSON.stringify(r)); await page.close(); }
await browser.close(); server.close();
