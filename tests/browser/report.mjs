// A regional report in a real browser with every request to another host blocked: every
// chart has data, the page runs no script, nothing overflows an A4 page's width in print,
// and a hostile title shows as text. Usage:
//   node report.mjs URL SCREENSHOT.png PDF.pdf EXPECTED_TITLE
// Prints one JSON line: { ok, foreign, errors, scripts, charts, overflow, title, dialogs }.
import { chromium } from 'playwright-core';

const [url, screenshot, pdf, expected] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const report = { ok: false, foreign: [], errors: [], scripts: -1, charts: {}, overflow: [], title: false, dialogs: 0, pdfBytes: 0 };
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  const origin = new URL(url).host;
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.host === origin) return route.continue();
    report.foreign.push(u.href);
    return route.abort();
  });
  page.on('pageerror', (e) => report.errors.push(String(e.message || e)));
  page.on('console', (m) => { if (m.type() === 'error') report.errors.push(m.text()); });
  page.on('dialog', async (d) => { report.dialogs += 1; await d.dismiss(); });

  await page.goto(url, { waitUntil: 'load' });
  report.scripts = await page.evaluate(() => document.scripts.length);
  // Per chart: how many marks it drew (bars, cells, points, lines), the background aside.
  report.charts = await page.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll('figure.chart')].map((f) => {
      const svg = f.querySelector('svg');
      // Marks are the filled shapes in a colour (bars, cells, points): not the white
      // background, not the axes' lines and ticks.
      const filled = (el) => { const f = (el.getAttribute('fill') || '').toUpperCase(); return f !== '' && f !== 'NONE' && f !== '#FFFFFF'; };
      const marks = svg ? [...svg.querySelectorAll('rect, circle')].filter(filled).length : 0;
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      return [f.dataset.chart, { marks, width: Math.round(box.width), height: Math.round(box.height) }];
    }),
  ));
  report.title = await page.evaluate((t) => [...document.querySelectorAll('bdi')].some((b) => b.textContent === t), expected);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: process.env.FULL_PAGE === '1' });

  // Print: A4 is 210 mm wide; less the page's 14 mm margins, 182 mm at 96 px per inch.
  await page.emulateMedia({ media: 'print' });
  const width = Math.floor((182 / 25.4) * 96);
  await page.setViewportSize({ width, height: 1400 });
  report.overflow = await page.evaluate((w) => {
    const wide = [];
    if (document.documentElement.scrollWidth > w) wide.push(`document ${document.documentElement.scrollWidth}px`);
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > w + 1) wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ends at ${Math.round(r.right)}px`);
      if (wide.length > 10) break;
    }
    return wide;
  }, width);
  if (pdf) {
    const bytes = await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    report.pdfBytes = bytes.length;
  }
  report.ok = true;
} catch (e) {
  report.errors.push(String(e && e.message ? e.message : e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
process.exit(report.ok ? 0 : 1);
