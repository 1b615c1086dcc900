// Browser, accessibility, print and HTML checks of a built Lumbung site (docs/quality.md).
//
// Usage: node tools/quality/check.mjs [--expect-fail] [--screenshots DIR] [--no-screenshots] SITE_DIR
//
// Serves SITE_DIR on 127.0.0.1, opens the pages in headless Debian Chromium at 360 and 1280 px,
// and checks: no console errors, no failed requests, no horizontal scroll at 360 px, 0 axe-core
// WCAG 2.2 A/AA violations, the region page prints as one A4 page titled "Profil Kemiskinan …",
// and 0 Nu HTML Checker (vnu) errors. Screenshots and the PDF go to DIR (default: screenshots/);
// --no-screenshots leaves out the full-page screenshots (a quarter of the browser time on large
// pages) when no one will look at them, and still writes the PDF the print check counts.
//
// A site may carry a `quality.json` naming its pages ({"pages": [...], "print": "/x/"}); with
// --expect-fail it also lists `expect`: the checks that must fail (used by the broken fixture to
// prove every check catches what it is meant to catch). Exit status 0 only when all is as expected.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const WIDTHS = [360, 1280];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.webp': 'image/webp', '.xml': 'application/xml', '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.js': 'text/javascript',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.woff2': 'font/woff2', '.ico': 'image/x-icon', '.gz': 'application/gzip',
};

// ---- arguments ----
const argv = process.argv.slice(2);
let expectFail = false;
let shotsDir = 'screenshots';
let shots = true;
let site = null;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--expect-fail') expectFail = true;
  else if (argv[i] === '--screenshots') shotsDir = argv[++i];
  else if (argv[i] === '--no-screenshots') shots = false;
  else if (!site) site = argv[i];
  else usage(`unexpected argument ${argv[i]}`);
}
if (!site) usage('SITE_DIR is missing');
site = path.resolve(site);
if (!fs.existsSync(path.join(site, 'index.html'))) usage(`${site}/index.html does not exist: build the site first`);

function usage(msg) {
  console.error(`quality: ${msg}\nusage: node tools/quality/check.mjs [--expect-fail] [--screenshots DIR] [--no-screenshots] SITE_DIR`);
  process.exit(2);
}

// ---- which pages ----
const cfgFile = path.join(site, 'quality.json');
const cfg = fs.existsSync(cfgFile) ? JSON.parse(fs.readFileSync(cfgFile, 'utf8')) : {};
const pages = cfg.pages || defaultPages();
const printPage = cfg.print || '/wilayah/36.73-kota-serang/';
const expected = new Set(cfg.expect || []);
if (expectFail && expected.size === 0) usage('--expect-fail needs "expect" in SITE_DIR/quality.json');

function defaultPages() {
  // The newest-looking news article: any folder under berita/ other than the list pages.
  const news = fs.readdirSync(path.join(site, 'berita'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'halaman' && fs.existsSync(path.join(site, 'berita', d.name, 'index.html')))
    .map((d) => d.name).sort();
  if (news.length === 0) throw new Error('no news article under berita/');
  const base = ['/', `/berita/${news[0]}/`, '/wilayah/36-banten/', '/wilayah/36.73-kota-serang/', '/indikator/p0/', '/data/', '/data/kemiskinan-bps/', '/cari/', '/galeri/video/', '/galeri/foto/', '/bandingkan/?i=p0&w=36.73,36.04,35.78', '/bandingkan/36-banten/p0/', '/wilayah/73.03-kabupaten-bantaeng/'];
  // The English edition's pages, when the site has one.
  const english = fs.existsSync(path.join(site, 'en', 'index.html'))
    ? ['/en/', '/en/berita/', '/en/wilayah/36.73-kota-serang/', '/en/indikator/p0/', '/en/tentang/']
    : [];
  return [...base, ...english];
}

// ---- results ----
const results = []; // {check, name, ok, detail}
function record(check, name, problems) {
  results.push({ check, name, ok: problems.length === 0, detail: problems });
  const mark = problems.length === 0 ? 'ok  ' : 'FAIL';
  console.log(`${mark} ${check.padEnd(8)} ${name}`);
  for (const p of problems) console.log(`       ${p.replace(/\n/g, '\n       ')}`);
}

// ---- static server ----
function fileFor(urlPath) {
  let p = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  p = path.normalize(p).replace(/^(\.\.[/\\])+/, '');
  let f = path.join(site, p);
  if (!f.startsWith(site)) return null;
  if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, 'index.html');
  return fs.existsSync(f) && fs.statSync(f).isFile() ? f : null;
}
const server = http.createServer((req, res) => {
  const f = fileFor(req.url);
  if (!f) {
    const nf = path.join(site, '404.html');
    res.writeHead(404, { 'content-type': TYPES['.html'] });
    res.end(fs.existsSync(nf) ? fs.readFileSync(nf) : 'not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(f).toLowerCase()] || 'application/octet-stream' });
  res.end(fs.readFileSync(f));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const shortName = (u) => (u === '/' ? 'beranda' : u.replace(/\?.*$/, '').replace(/^\/|\/$/g, '').replace(/[/.]/g, '-'));
fs.mkdirSync(shotsDir, { recursive: true });
const started = Date.now();

// ---- browser checks ----
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
try {
  for (const url of pages) {
    for (const width of WIDTHS) {
      const ctx = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await ctx.newPage();
      const problems = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()} (${r.failure()?.errorText})`));
      page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
      const resp = await page.goto(base + url, { waitUntil: 'load' });
      if (!resp || resp.status() !== 200) problems.push(`page answered ${resp ? resp.status() : 'nothing'}`);
      await page.waitForTimeout(50);
      // The compare chooser draws after fetching its figures: wait for it.
      if (await page.$('#pilih')) await page.waitForSelector('#hasil-banding svg, #hasil-banding p', { timeout: 5000 }).catch(() => {});
      const name = `${url} @${width}px`;
      record('browser', name, problems);

      if (width === 360) {
        const wide = await page.evaluate(() => {
          const w = document.documentElement.clientWidth;
          const sw = document.documentElement.scrollWidth;
          const culprits = [];
          if (sw > w) {
            for (const el of document.body.querySelectorAll('*')) {
              const r = el.getBoundingClientRect();
              if (r.right > w + 1 && getComputedStyle(el).position !== 'absolute') {
                culprits.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right edge ${Math.round(r.right)} px)`);
                if (culprits.length >= 5) break;
              }
            }
          }
          return { w, sw, culprits };
        });
        record('overflow', name, wide.sw > 360
          ? [`scrollWidth ${wide.sw} px > 360 px; widest: ${wide.culprits.join(', ') || '?'}`] : []);
      }

      await page.evaluate(axeSource);
      const axe = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), AXE_TAGS);
      record('axe', name, axe.violations.map((v) =>
        `${v.id} (${v.impact}): ${v.help} ${v.helpUrl}\n` +
        v.nodes.slice(0, 8).map((n) => `  at ${n.target.join(' ')}: ${n.failureSummary.replace(/\n\s*/g, ' ')}`).join('\n') +
        (v.nodes.length > 8 ? `\n  … and ${v.nodes.length - 8} more` : '')));

      if (width === 1280) record('markup', url, await markupProblems(page));
      if (width === 1280) await videoCheck(page, name);

      if (shots) await page.screenshot({ path: path.join(shotsDir, `${shortName(url)}-${width}.png`), fullPage: true });
      await ctx.close();
    }
  }

  // ---- print: one A4 page titled "Profil Kemiskinan <wilayah>" ----
  {
    const ctx = await browser.newContext({ viewport: { width: 794, height: 1123 } });
    const page = await ctx.newPage();
    await page.goto(base + printPage, { waitUntil: 'load' });
    const problems = [];
    const region = await page.evaluate(() => document.querySelector('h1')?.innerText.trim() || '');
    await page.emulateMedia({ media: 'print' });
    // The first line the printed page shows.
    const printed = await page.evaluate(() => (document.querySelector('main') || document.body).innerText.trim().split('\n')[0].replace(/\s+/g, ' ').trim());
    record('title', `${printPage} print`, printed === `Profil Kemiskinan ${region}` ? []
      : [`printed page starts with "${printed}", expected "Profil Kemiskinan ${region}"`]);
    if (shots) await page.screenshot({ path: path.join(shotsDir, `print-${shortName(printPage)}.png`), fullPage: true });
    const pdfPath = path.join(shotsDir, `print-${shortName(printPage)}.pdf`);
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    fs.writeFileSync(pdfPath, pdf);
    const n = pdfPages(pdf);
    if (n !== 1) problems.push(`printed to ${n} A4 pages, expected exactly 1 (${pdfPath})`);
    record('print', `${printPage} A4`, problems);
    await ctx.close();
  }
} finally {
  await browser.close();
  server.close();
}

/**
 * Click-to-load video: the page loaded nothing from another host (the browser check fails any
 * request that left 127.0.0.1), and pressing a thumbnail that names a player puts that player in
 * its place instead of leaving the page. Requests to the player's host are answered locally.
 */
async function videoCheck(page, name) {
  const thumbs = await page.$$('a.video-thumb[data-embed]');
  if (thumbs.length === 0) return;
  const problems = [];
  const embed = await thumbs[0].getAttribute('data-embed');
  await page.route((u) => !u.href.startsWith(base), (route) => route.fulfill({ status: 204, body: '' }));
  const before = page.url();
  await thumbs[0].click();
  await page.waitForTimeout(200);
  if (page.url() !== before) problems.push(`pressing play left the page for ${page.url()}`);
  else {
    const src = await page.evaluate(() => document.querySelector('iframe.video-frame')?.getAttribute('src') || '');
    if (src !== embed) problems.push(`pressing play gave no player (iframe src "${src}", expected "${embed}")`);
  }
  await page.unroute(() => true).catch(() => {});
  record('video', name, problems);
}

/**
 * The rules axe does not cover: every chart (an inline SVG that is not hidden) has role="img", a
 * <title> and a <desc> (or aria-labelledby/-describedby) and a table in its section; every table
 * has a caption and every header cell a scope; keyboard focus is visible on the first tab stops.
 */
async function markupProblems(page) {
  const problems = await page.evaluate(() => {
    const out = [];
    const where = (el) => {
      const sec = el.closest('section, figure, article, main');
      const h = sec && sec.querySelector('h1, h2, h3, figcaption');
      return `${el.tagName.toLowerCase()}${h ? ` in "${h.textContent.trim().slice(0, 60)}"` : ''}`;
    };
    for (const svg of document.querySelectorAll('body svg')) {
      if (svg.closest('[aria-hidden="true"]') || svg.parentElement.closest('svg')) continue;
      const r = svg.getBoundingClientRect();
      if (r.width < 100 && r.height < 100) continue; // icons
      const title = svg.querySelector(':scope > title')?.textContent.trim() || svg.getAttribute('aria-labelledby');
      const desc = svg.querySelector(':scope > desc')?.textContent.trim() || svg.getAttribute('aria-describedby');
      if (svg.getAttribute('role') !== 'img') out.push(`chart ${where(svg)} lacks role="img"`);
      if (!title) out.push(`chart ${where(svg)} lacks a <title>`);
      if (!desc) out.push(`chart ${where(svg)} lacks a <desc>`);
      const sec = svg.closest('section') || svg.closest('figure')?.parentElement;
      if (!sec || !sec.querySelector('table')) out.push(`chart ${where(svg)} has no table with its numbers in its section`);
    }
    for (const t of document.querySelectorAll('table')) {
      if (!t.querySelector(':scope > caption')?.textContent.trim()) out.push(`${where(t)} has no caption`);
      const noScope = [...t.querySelectorAll('th')].filter((th) => !th.getAttribute('scope'));
      if (noScope.length) out.push(`${where(t)}: ${noScope.length} header cell(s) without scope, first "${noScope[0].textContent.trim()}"`);
    }
    return out;
  });
  // Focus: the first tab stops must show an outline or a shadow.
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
      return { name: `${el.tagName.toLowerCase()} "${(el.textContent || '').trim().slice(0, 40)}"`, visible: outline || cs.boxShadow !== 'none' };
    });
    if (f && !f.visible) problems.push(`keyboard focus is not visible on ${f.name} (tab stop ${i + 1})`);
  }
  return problems;
}

/** Page count of a PDF: `/Type /Page` objects (not `/Pages`), cross-checked with the page tree's /Count. */
function pdfPages(buf) {
  const s = buf.toString('latin1');
  const objects = (s.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
  const counts = [...s.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)]
    .map((m) => Number(m[1] || m[2]));
  const count = counts.length ? Math.max(...counts) : objects;
  return Math.max(objects, count);
}

// ---- vnu: the HTML as served (not the DOM), errors only ----
{
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lumbung-vnu-'));
  const files = pages.map((u) => {
    const dst = path.join(tmp, `${shortName(u)}.html`);
    fs.copyFileSync(fileFor(u), dst);
    return [u, dst];
  });
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  const r = spawnSync('java', ['-jar', jar, '--errors-only', '--format', 'json', ...files.map((f) => f[1])], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`cannot run java for vnu: ${r.error.message}`);
  let messages = [];
  try {
    messages = JSON.parse(r.stderr || r.stdout || '{"messages":[]}').messages;
  } catch (e) {
    throw new Error(`vnu output is not JSON (exit ${r.status}): ${r.stderr}${r.stdout}`);
  }
  for (const [u, f] of files) {
    const mine = messages.filter((m) => m.url && fileURLToPath(m.url) === f && m.type === 'error');
    record('vnu', u, mine.map((m) => `line ${m.lastLine}:${m.firstColumn ?? m.lastColumn}: ${m.message}\n  ${(m.extract || '').trim()}`));
  }
  const other = messages.filter((m) => m.type === 'non-document-error');
  if (other.length) record('vnu', 'checker', other.map((m) => m.message));
  fs.rmSync(tmp, { recursive: true, force: true });
}

// ---- summary ----
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const failed = results.filter((r) => !r.ok);
if (!expectFail) {
  console.log(`\n${shots ? 'screenshots and ' : ''}print PDF in ${path.resolve(shotsDir)}; ${seconds} s`);
  if (failed.length) {
    console.log(`\nFailed checks:\n${failed.map((r) => `  ${r.check} ${r.name}: ${r.detail[0].split('\n')[0]}`).join('\n')}`);
  }
  console.log(`quality: ${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
} else {
  // Every expected kind of failure must have happened, and nothing unexpected may fail.
  const kinds = new Set();
  for (const r of failed) {
    if (r.check === 'axe') for (const d of r.detail) kinds.add(`axe:${d.split(' ')[0]}`);
    else kinds.add(r.check);
  }
  const caught = [...expected].filter((e) => kinds.has(e));
  const missed = [...expected].filter((e) => !kinds.has(e));
  const unexpected = [...kinds].filter((k) => !expected.has(k) && !(k.startsWith('axe:') && expected.has('axe')));
  console.log(`\nexpect-fail: caught ${caught.join(', ') || 'nothing'}`);
  if (missed.length) console.log(`expect-fail: NOT caught: ${missed.join(', ')}`);
  if (unexpected.length) console.log(`expect-fail: also failed (not listed in quality.json): ${unexpected.join(', ')}`);
  const bad = missed.length + unexpected.length;
  console.log(`quality --expect-fail: ${caught.length} passed, ${bad} failed`);
  process.exit(bad ? 1 : 0);
}
