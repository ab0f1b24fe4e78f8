// The reporting cycle end to end: a Lotse reports a Sachstand (a refused first try keeps
// what was typed), the staff unit approves it and closes the Stichtag, and the leadership
// page shows the change. Runs with JavaScript and without; the second run opens the next
// Stichtag itself, since the first closed the demo's open one.
import { test, expect, Page } from '@playwright/test';
import { hydrated, withJs } from './support';
import * as fs from 'fs';

test('Lotse meldet, Stabsstelle gibt frei und schließt, das Lagebild zeigt die Änderung', async ({ page }, info) => {
  const js = withJs(info);
  await page.goto('/stichtage');
  await hydrated(page, js);
  const rows = page.locator('table.data tbody tr');
  const openRow = rows.filter({ hasText: 'offen' });
  if ((await openRow.count()) === 0) {
    const latest = (await rows.first().locator('td').first().innerText()).trim();
    const [d, m, y] = latest.split('.').map(Number);
    const next = new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10); // one month later
    await page.getByLabel('Datum des neuen Stichtags').fill(next);
    await page.getByRole('button', { name: 'Stichtag eröffnen' }).click();
    await expect(page.locator('.alert-success')).toContainText('Der Stichtag wurde eröffnet.');
  } else {
    await openRow.first().getByRole('link').click();
  }
  await expect(page).toHaveURL(/\/stichtage\/\d+(\?form=[^#]*)?(#eroeffnet)?$/);
  const stichtagUrl = page.url().split('?')[0];

  // The Lotse picks a project still owing its report, not red so far.
  const owed = page.locator('#fehlend tbody tr').filter({ hasNotText: 'Rot' }).first();
  const key = (await owed.locator('td').first().innerText()).trim().split(' ')[0];
  await owed.getByRole('link').click();
  await hydrated(page, js);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Sachstand ${key}`);
  await page.getByRole('radio', { name: 'Rot' }).check();
  await page.getByLabel('Begründung der Ampel (Pflicht bei Gelb und Rot)').fill('Schnittstelle des Fachverfahrens fehlt');
  await page.getByLabel('Fertigstellungsgrad in %').fill('35');
  await page.getByLabel('Entscheidungsbedarf').fill('Budget für eine Übergangslösung');

  // Handed in without the status text: a German message at the field, nothing typed is lost.
  await page.getByRole('button', { name: 'Sachstand einreichen' }).click();
  await expect(page.getByRole('alert').first()).toContainText('Die Eingaben wurden nicht gespeichert');
  // In the form, where the page lands after the post: seen without scrolling.
  await expect(page.locator('#sachstand [role="alert"]')).toBeInViewport();
  await expect(page.locator('#summary-error')).toContainText('Bitte füllen Sie dieses Feld aus.');
  await expect(page.getByLabel('Begründung der Ampel (Pflicht bei Gelb und Rot)')).toHaveValue('Schnittstelle des Fachverfahrens fehlt');
  await expect(page.getByRole('radio', { name: 'Rot' })).toBeChecked();

  await page.getByLabel('Sachstand (Pflicht beim Einreichen)').fill('Pilotbetrieb verschoben, Schnittstelle fehlt.');
  await page.getByRole('button', { name: 'Sachstand einreichen' }).click();
  await expect(page.locator('#status-sachstand')).toContainText('Eingereicht');
  // Handed in, the form is gone; the confirmation stands under the heading.
  await expect(page.locator('.alert-success')).toHaveText('Der Sachstand wurde gespeichert.');
  await expect(page.locator('.alert-success')).toBeInViewport();

  // The staff unit approves it and closes the Stichtag.
  await page.getByRole('button', { name: 'Freigeben' }).click();
  await expect(page.locator('#status-sachstand')).toContainText('Freigegeben');
  await page.goto(stichtagUrl);
  await hydrated(page, js);
  await page.getByRole('button', { name: 'Stichtag schließen und Stand einfrieren' }).click();
  await expect(page.getByText('Der Stichtag wurde geschlossen. Sein Stand ist eingefroren.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stichtag schließen und Stand einfrieren' })).toHaveCount(0);

  // Leadership sees the project turn red, and its decision request.
  await page.goto('/leitung');
  await hydrated(page, js);
  const change = page.locator('#leitung-aenderungen-tabelle tbody tr').filter({ hasText: key });
  await expect(change).toHaveCount(1);
  await expect(change.locator('td').nth(2)).toHaveText(/Rot/);
  await expect(page.locator('#leitung-risiken tbody tr').filter({ hasText: key })).toContainText('Budget für eine Übergangslösung');
});

async function expectPdfDownload(page: Page, link: string, name: RegExp) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: link }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(name);
  const bytes = fs.readFileSync(await download.path());
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
}

test('Der Statusbericht druckt auf A4 ohne Navigation und Formulare', async ({ page }) => {
  await page.goto('/stichtage');
  const closed = page.locator('table.data tbody tr').filter({ hasText: 'geschlossen' }).first();
  await closed.getByRole('link').click();
  await page.getByRole('link', { name: 'Statusbericht (druckbar)' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Statusbericht zum Stichtag');
  await expect(page.locator('#bericht-ampel tbody tr')).toHaveCount(3);

  // The PDF made on the server downloads with the Stichtag in its name.
  await expectPdfDownload(page, 'PDF herunterladen', /^Statusbericht-\d{4}-\d{2}-\d{2}\.pdf$/);

  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('header.site-header')).toBeHidden();
  await expect(page.locator('footer.site-footer')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Drucken', exact: true })).toBeHidden();
  await expect(page.getByRole('link', { name: 'PDF herunterladen' })).toBeHidden();
  await expect(page.locator('#bericht-fachbereiche')).toBeVisible();
  // Nothing is wider than the printable width of an A4 page (210 mm less 2 × 15 mm margin).
  const printable = (210 - 30) * 96 / 25.4;
  await page.setViewportSize({ width: Math.floor(printable), height: 1000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});

test('Der Projektsteckbrief druckt ohne Formulare in A4-Breite', async ({ page }) => {
  await page.goto('/projekte/1');
  await expect(page.getByRole('heading', { name: 'Projektsteckbrief' })).toBeVisible();
  await expectPdfDownload(page, 'Projektsteckbrief als PDF herunterladen', /^Projektsteckbrief-.+\.pdf$/);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Status speichern' })).toBeHidden();
  await expect(page.locator('header.site-header')).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Meilensteine', exact: true })).toBeVisible();
  await page.setViewportSize({ width: Math.floor((210 - 30) * 96 / 25.4), height: 1000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});
