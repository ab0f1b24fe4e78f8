// A Lotse's round trip: open the portfolio, filter, open a project, change a milestone
// forecast, reload and see it persisted; and bad input gets a German message at the field.
import { test, expect, Page } from '@playwright/test';
import { hydrated, withJs } from './support';

// Each browser project edits its own project, so the runs with and without JavaScript do
// not see each other's changes.
function projectKey(projectName: string, base: number): string {
  const n = projectName === 'mit-javascript' ? base : base + 1;
  return `DIG-${String(n).padStart(4, '0')}`;
}

async function openProject(page: Page, key: string, js: boolean) {
  await page.goto('/projekte');
  await hydrated(page, js);
  await expect(page.getByRole('heading', { level: 1, name: 'Projektportfolio' })).toBeVisible();
  await page.getByLabel('Suche').fill(key);
  await page.getByRole('button', { name: 'Filtern' }).click();
  await expect(page).toHaveURL(new RegExp(`q=${key}`));
  await expect(page.getByRole('status').filter({ hasText: 'gefunden' })).toHaveText(/^1 Projekte gefunden/);
  const link = page.locator('table.portfolio tbody tr').first().getByRole('link').first();
  await link.click();
  await expect(page.getByRole('heading', { name: 'Projektsteckbrief' })).toBeVisible();
  await expect(page.getByText(key, { exact: true }).first()).toBeVisible();
  await hydrated(page, js);
}

test('Portfolio filtern, Projekt öffnen, Prognose ändern und nach Neuladen sehen', async ({ page }, info) => {
  const js = withJs(info);
  const key = projectKey(info.project.name, 20);

  // Filter by Ampel through the select list first: the URL reflects the filter.
  await page.goto('/projekte');
  await hydrated(page, js);
  await page.getByLabel('Ampel').selectOption('rot');
  await page.getByRole('button', { name: 'Filtern' }).click();
  await expect(page).toHaveURL(/ampel=rot/);
  const badges = page.locator('table.portfolio tbody .ampel');
  await expect(badges.first()).toHaveText(/Rot/);
  expect(await badges.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/Rot/)]));
  for (const text of await badges.allTextContents()) expect(text).toMatch(/Rot/);

  await openProject(page, key, js);
  const open = page.locator('.milestone-form[data-state="offen"]').first();
  const formId = (await open.getAttribute('id'))!;
  const milestoneId = formId.slice(2);
  const form = page.locator(`#${formId}`);
  const forecast = form.getByLabel('Prognose');
  const old = await forecast.inputValue();
  const next = new Date(Date.parse(old) + 35 * 86_400_000).toISOString().slice(0, 10);
  await forecast.fill(next);
  await form.getByLabel('Begründung der Änderung (optional)').fill('Abhängigkeit zur Landeslösung');
  // With JavaScript the save happens in the background: a marker on the page survives it.
  if (js) await page.evaluate(() => ((window as any).__samePage = true));
  await form.getByRole('button', { name: /Termine speichern/ }).click();
  // The confirmation stands in the form that was sent, where the user is (after a plain post
  // the browser scrolls to the form's anchor).
  const saved = page.locator(`#${formId} .alert-success`);
  await expect(saved).toHaveText(/^Die Termine von „.+“ wurden gespeichert\.$/);
  await expect(saved).toBeInViewport();
  if (js) await expect(page.locator('[role="status"][aria-live="polite"]').filter({ hasText: 'wurden gespeichert' })).toHaveCount(1);
  if (js) expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
  else expect(page.url()).toContain('form=');

  await page.reload();
  await hydrated(page, js);
  const [y, m, d] = next.split('-');
  await expect(page.locator(`#${formId}`).getByLabel('Prognose')).toHaveValue(next);
  await expect(page.locator(`#ms-${milestoneId}`)).toContainText(`${d}.${m}.${y}`);
  await expect(page.locator(`#ms-${milestoneId} details`)).toContainText('Abhängigkeit zur Landeslösung');
});

test('Ist-Termin in der Zukunft wird mit deutscher Meldung am Feld abgelehnt', async ({ page }, info) => {
  const js = withJs(info);
  const key = projectKey(info.project.name, 30);
  await openProject(page, key, js);
  const formId = (await page.locator('.milestone-form[data-state="offen"]').first().getAttribute('id'))!;
  const form = page.locator(`#${formId}`);
  const before = await form.getByLabel('Prognose').inputValue();
  await form.getByLabel('Ist-Termin (erreicht am)').fill('2099-12-31');
  await form.getByRole('button', { name: /Termine speichern/ }).click();
  const message = page.locator(`#${formId} .field-error`);
  await expect(message).toContainText('liegt in der Zukunft');
  await expect(page.locator(`#${formId}`).getByLabel('Ist-Termin (erreicht am)')).toHaveAttribute('aria-invalid', 'true');
  // Nothing typed is lost, nothing was saved.
  await expect(page.locator(`#${formId}`).getByLabel('Ist-Termin (erreicht am)')).toHaveValue('2099-12-31');
  await page.goto(page.url().split('?')[0]);
  await expect(page.locator(`#${formId}`).getByLabel('Prognose')).toHaveValue(before);
  await expect(page.locator(`#${formId}`).getByLabel('Ist-Termin (erreicht am)')).toHaveValue('');
});

test('Ampel Gelb ohne Begründung wird abgelehnt, mit Begründung gespeichert', async ({ page }, info) => {
  const js = withJs(info);
  const key = projectKey(info.project.name, 40);
  await openProject(page, key, js);
  await page.getByRole('radio', { name: 'Gelb' }).check();
  await page.getByLabel('Begründung (Pflicht bei Gelb und Rot)').fill('');
  await page.getByRole('button', { name: 'Status speichern' }).click();
  await expect(page.locator('#status .field-error')).toContainText('Begründung erforderlich');
  // The form's summary is seen, although the user is at the button at the form's end.
  await expect(page.locator('#status [role="alert"]')).toBeInViewport();
  await page.getByLabel('Begründung (Pflicht bei Gelb und Rot)').fill('Personalengpass im Fachbereich');
  await page.getByRole('radio', { name: 'Gelb' }).check();
  await page.getByRole('button', { name: 'Status speichern' }).click();
  await expect(page.locator('#status .alert-success')).toHaveText('Der Projektstatus wurde gespeichert.');
  await expect(page.locator('#status .alert-success')).toBeInViewport();
  await expect(page.locator('.alert-success')).toHaveCount(1);
  await page.goto(page.url().split('?')[0]);
  await expect(page.locator('dl.facts')).toContainText('Personalengpass im Fachbereich');
});

test('Versehentlich importierten Meilenstein löschen: erst mit Bestätigung, danach in der Liste der gelöschten', async ({ page }, info) => {
  const js = withJs(info);
  const key = projectKey(info.project.name, 50);
  const title = `Abnahme Schnitstelle ${info.project.name}`;
  // The mistake arrives as it would from a department: a misspelt name in an imported file.
  await page.goto('/import');
  await hydrated(page, js);
  const csv = `Projekt-Nr;Meilenstein;Plantermin\n${key};${title};01.06.2027\n`;
  await page.getByLabel('Datei (.xlsx, .xlsm, .ods, .csv; bis 20 MB)', { exact: true }).setInputFiles({ name: 'meilensteine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf-8') });
  await page.getByRole('button', { name: 'Hochladen und prüfen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vorschau: meilensteine.csv');
  await hydrated(page, js);
  await page.getByRole('button', { name: 'Übernehmen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Übernommen: meilensteine.csv');

  await openProject(page, key, js);
  await expect(page.locator('table.milestones')).toContainText(title);
  const form = page.locator('#loeschen');
  const value = await form.locator('option', { hasText: title }).getAttribute('value');
  await form.getByLabel('Meilenstein', { exact: true }).selectOption(value!);
  // Without the tick: the message at the box, nothing deleted.
  await form.getByRole('button', { name: 'Meilenstein löschen' }).click();
  await expect(page.locator('#loeschen .field-error')).toContainText('Bitte bestätigen Sie das Löschen');
  await expect(page.locator('table.milestones')).toContainText(title);
  await expect(page.locator('#loeschen').getByLabel('Meilenstein', { exact: true })).toHaveValue(value!);

  await page.locator('#loeschen').getByLabel(/endgültig löschen/).check();
  await page.locator('#loeschen').getByRole('button', { name: 'Meilenstein löschen' }).click();
  await expect(page.locator('#loeschen .alert-success')).toContainText('wurde gelöscht.');
  await expect(page.locator('#loeschen .alert-success')).toBeInViewport();
  await expect(page.locator('table.milestones')).not.toContainText(title);
  const deleted = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Gelöschte Meilensteine' }) });
  await expect(deleted).toContainText(title);
  await expect(page.locator('#loeschen option', { hasText: title })).toHaveCount(0);
});

test('Unbekannte Projekte ergeben eine deutsche 404-Seite', async ({ page }) => {
  const response = await page.goto('/projekte/999999');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Seite nicht gefunden');
});
