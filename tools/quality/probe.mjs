import { chromium } from 'playwright-core';
const [url, width, js] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: +width, height: 800 } });
await p.goto(url);
console.log(JSON.stringify(await p.evaluate(js), null, 1));
await b.close();
