// GraphiQL in a real browser with every request to another host blocked: the page renders,
// the docs explorer lists Query's fields, and the example query it opens with shows data.
// Usage: node graphiql.mjs http://127.0.0.1:PORT SCREENSHOT.png
// Prints one JSON line: { ok, foreign, errors, fields, result }.
import { chromium } from 'playwright-core';

const [base, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const report = { ok: false, foreign: [], errors: [], fields: [], result: '' };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const origin = new URL(base).host;
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.host === origin) return route.continue();
    report.foreign.push(url.href);
    return route.abort();
  });
  page.on('pageerror', (e) => report.errors.push(String(e.message || e)));
  page.on('console', (m) => { if (m.type() === 'error') report.errors.push(m.text()); });

  await page.goto(`${base}/`, { waitUntil: 'load' });
  await page.waitForSelector('.graphiql-container', { timeout: 20000 });

  // The docs explorer: the root type, then Query's fields.
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer', { timeout: 20000 });
  await page.locator('.graphiql-doc-explorer a', { hasText: 'Query' }).first().click();
  await page.waitForSelector('.graphiql-doc-explorer-field-name', { timeout: 20000 });
  report.fields = await page.locator('.graphiql-doc-explorer-field-name').allInnerTexts();

  // Run the query the page opened with.
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(
    () => (document.querySelector('.graphiql-response')?.innerText || '').includes('totalCount'),
    null,
    { timeout: 20000 },
  );
  report.result = await page.locator('.graphiql-response').innerText();
  if (screenshot) await page.screenshot({ path: screenshot });
  report.ok = true;
} catch (e) {
  report.errors.push(String(e && e.message ? e.message : e));
  if (screenshot) await browser.contexts()[0]?.pages()[0]?.screenshot({ path: screenshot }).catch(() => {});
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
process.exit(report.ok ? 0 : 1);
