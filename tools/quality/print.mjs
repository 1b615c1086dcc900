// Prints pages of a served Lumbung site to A4 PDF in headless Chromium, as a reader's
// "Cetak" would, and reports how many pages each took and the first line printed (JSON).
//
// Usage: node tools/quality/print.mjs BASE_URL PATH...
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const [base, ...paths] = process.argv.slice(2);
if (!base || paths.length === 0) {
  console.error('usage: node print.mjs BASE_URL PATH...');
  process.exit(2);
}

/** Pages in a PDF: its /Type /Page objects (not /Pages). */
function pdfPages(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
const out = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const p of paths) {
    await page.goto(new URL(p.replace(/^\//, ''), base).href, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const first = await page.evaluate(() => (document.querySelector('main') || document.body)
      .innerText.trim().split('\n')[0].replace(/\s+/g, ' ').trim());
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    out.push({ path: p, pages: pdfPages(pdf), first });
    await page.emulateMedia({ media: 'screen' });
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
