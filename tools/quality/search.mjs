// Searches a served Lumbung site as a reader would, in headless Chromium, and prints JSON.
//
// Usage: node tools/quality/search.mjs BASE_URL QUERY...
//
// For each query, with JavaScript: types it into the header's search box on the home page,
// submits, waits for the results on /cari/ and reports their addresses and titles, and the
// bytes of the search index fetched for it (everything under /pagefind/). Without JavaScript:
// submits the same box and reports the A–Z list's links whose text or line names the query.
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const [base, ...queries] = process.argv.slice(2);
if (!base || queries.length === 0) {
  console.error('usage: node search.mjs BASE_URL QUERY...');
  process.exit(2);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
const out = [];
try {
  for (const query of queries) {
    const entry = { query, results: [], bytes: 0, files: 0, errors: [], nojs: [] };
    // With JavaScript.
    {
      const ctx = await browser.newContext({ viewport: { width: 360, height: 800 } });
      const page = await ctx.newPage();
      page.on('pageerror', (e) => entry.errors.push(`script error: ${e.message}`));
      page.on('console', (m) => { if (m.type() === 'error') entry.errors.push(`console: ${m.text()}`); });
      page.on('response', async (r) => {
        if (new URL(r.url()).pathname.includes('/pagefind/')) {
          if (r.status() >= 400) entry.errors.push(`HTTP ${r.status()}: ${r.url()}`);
          try {
            const body = await r.body();
            const text = /\.(js|json)$/.test(new URL(r.url()).pathname);
            entry.bytes += text ? zlib.gzipSync(body, { level: 9 }).length : body.length;
            entry.files += 1;
          } catch { /* a redirect has no body */ }
        }
      });
      await page.goto(new URL('./', base).href, { waitUntil: 'load' });
      await page.fill('header input[type=search]', query);
      await Promise.all([page.waitForURL(/\/cari\/\?q=/), page.press('header input[type=search]', 'Enter')]);
      try {
        await page.waitForSelector('#hasil ol li a, #hasil p', { timeout: 60000 });
        await page.waitForFunction(() => !document.querySelector('#hasil')?.textContent.startsWith('Mencari'), null, { timeout: 60000 });
      } catch (e) {
        entry.errors.push(`no results shown: ${e.message.split('\n')[0]}`);
      }
      entry.results = await page.$$eval('#hasil ol li', (lis) => lis.map((li) => ({
        url: new URL(li.querySelector('a').href).pathname,
        title: li.querySelector('a').textContent,
        kind: li.querySelector('.kind')?.textContent || '',
      })));
      await ctx.close();
    }
    // Without JavaScript: the same box lands on the A–Z list.
    {
      const ctx = await browser.newContext({ javaScriptEnabled: false });
      const page = await ctx.newPage();
      await page.goto(new URL('./', base).href, { waitUntil: 'load' });
      await page.fill('header input[type=search]', query);
      await Promise.all([page.waitForURL(/\/cari\/\?q=/), page.press('header input[type=search]', 'Enter')]);
      const words = query.toLowerCase().split(/\s+/);
      entry.nojs = await page.$$eval('ul.az li', (lis, words) => lis
        .filter((li) => words.every((w) => li.textContent.toLowerCase().includes(w)))
        .map((li) => ({ text: li.textContent.trim(), url: new URL(li.querySelector('a').href).pathname })), words);
      await ctx.close();
    }
    out.push(entry);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out, null, 2));
