// WCAG 2.1 AA scan with axe-core of the pages staff use most. axe runs inside the page, so
// this needs JavaScript; the run without JavaScript skips it.
import { test, expect, Page } from '@playwright/test';
import * as path from 'path';
import { withJs } from './support';

const AXE = path.join(__dirname, '..', 'node_modules', 'axe-core', 'axe.min.js');
// The demo's Stichtag 12 is the open one (with Sachstand forms), 11 the latest closed one.
const PAGES = [
  '/', '/projekte', '/projekte/1', '/leistungen', '/fachbereiche', '/datenqualitaet', '/import', '/barrierefreiheit',
  '/leitung', '/stichtage', '/stichtage/12', '/stichtage/12/projekte/1', '/stichtage/11/projekte/20', '/vergleich',
  '/meine-berichte?lotse=1', '/projekte/1/mta', '/ziele', '/ziele/1', '/nutzung', '/stichtage/11/bericht', '/abdeckung', '/termintreue', '/mta',
];

async function violations(page: Page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')),
    }));
  });
}

for (const url of PAGES) {
  test(`Barrierefreiheit (WCAG 2.1 AA, axe-core): ${url}`, async ({ page }, info) => {
    test.skip(!withJs(info), 'axe-core läuft im Browser und braucht JavaScript');
    await page.goto(url);
    const found = await violations(page);
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
  });
}

test('Barrierefreiheit: Importvorschau mit Fehlern und Änderungen', async ({ page }, info) => {
  test.skip(!withJs(info), 'axe-core läuft im Browser und braucht JavaScript');
  await page.goto('/import');
  const csv = 'Nr.;Themenfeld\n1;Barrierefreiheitstest\n2;\n';
  await page.getByLabel('Datei (.xlsx, .xlsm, .ods, .csv; bis 20 MB)', { exact: true }).setInputFiles({ name: 'a11y.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf-8') });
  await page.getByRole('button', { name: 'Hochladen und prüfen' }).click();
  await expect(page).toHaveURL(/\/import\/\d+$/);
  await expect(page.locator('#import-errors')).toBeVisible();
  const found = await violations(page);
  expect(found, JSON.stringify(found, null, 2)).toEqual([]);
});

test('Die Prüfung schlägt bei einem echten Verstoß an (Kontrolle des Prüfaufbaus)', async ({ page }, info) => {
  test.skip(!withJs(info), 'axe-core läuft im Browser und braucht JavaScript');
  await page.goto('/');
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = '/favicon.svg';
    document.querySelector('main')?.appendChild(img);
  });
  const found = await violations(page);
  expect(found.map((v: any) => v.id)).toContain('image-alt');
});

// WCAG 1.4.10 (Reflow): at 320 CSS pixels no page scrolls sideways as a whole. A data table
// wider than that scrolls inside its own region, which the keyboard reaches and which carries
// the table's name. The layout comes from the server, so the run without JavaScript checks it.
test('Umbruch bei 320 px: keine Seite scrollt quer, breite Tabellen scrollen in ihrem Bereich', async ({ page }, info) => {
  test.skip(withJs(info), 'Das Layout kommt vom Server; einmal genügt.');
  await page.setViewportSize({ width: 320, height: 800 });
  // An import preview with errors, changes and every table of the page.
  await page.goto('/import');
  const csv = 'Nr.;Themenfeld\n1;Umbruchtestfeld mit einem recht langen Namen\n2;\n';
  await page.getByLabel('Datei (.xlsx, .xlsm, .ods, .csv; bis 20 MB)', { exact: true }).setInputFiles({ name: 'umbruch.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf-8') });
  await page.getByRole('button', { name: 'Hochladen und prüfen' }).click();
  await expect(page).toHaveURL(/\/import\/\d+$/);
  const preview = new URL(page.url()).pathname;

  const wide: string[] = [];
  for (const url of [...PAGES, preview]) {
    await page.goto(url);
    const found = await page.evaluate(() => {
      const problems: string[] = [];
      const width = document.documentElement.scrollWidth;
      if (width > window.innerWidth) problems.push(`Seite ${width} px breit`);
      for (const table of Array.from(document.querySelectorAll('main table'))) {
        const region = table.closest('.table-scroll');
        if (!region) { problems.push(`Tabelle ${table.id || table.className} ohne Scrollbereich`); continue; }
        const label = document.getElementById(region.getAttribute('aria-labelledby') ?? '');
        if (region.getAttribute('role') !== 'region' || region.getAttribute('tabindex') !== '0' || !label?.textContent?.trim()) {
          problems.push(`Scrollbereich von ${table.id || table.className} ohne Rolle, Tastaturzugang oder Namen`);
        }
      }
      return problems;
    });
    for (const problem of found) wide.push(`${url}: ${problem}`);
  }
  expect(wide).toEqual([]);
  // The preview is discarded, so that the other tests' history stays as they expect.
  await page.goto(preview);
  await page.getByRole('button', { name: 'Verwerfen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verworfen: umbruch.csv');
});

// WCAG 2.4.4 and 2.4.9: in a screen reader's list of links, out of their line or row, two links
// with the same name lead to the same place (e.g. »Projekte« as template and as CSV export).
test('Gleich benannte Links führen zum selben Ziel', async ({ page }, info) => {
  test.skip(!withJs(info), 'Die Links kommen vom Server; einmal genügt.');
  const clashes: string[] = [];
  for (const url of PAGES) {
    await page.goto(url);
    const links = await page.locator('main a[href]').evaluateAll((anchors) =>
      anchors.map((a) => ({
        name: (a.getAttribute('aria-label') ?? a.textContent ?? '').replace(/\s+/g, ' ').trim(),
        href: new URL((a as HTMLAnchorElement).href).pathname + new URL((a as HTMLAnchorElement).href).search,
      })),
    );
    const seen = new Map<string, string>();
    for (const { name, href } of links) {
      const other = seen.get(name);
      if (other !== undefined && other !== href) clashes.push(`${url}: »${name}« → ${other} und ${href}`);
      seen.set(name, href);
    }
  }
  expect(clashes).toEqual([]);
});
