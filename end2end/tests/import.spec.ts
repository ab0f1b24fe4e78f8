// The staff unit's import round trip: upload a spreadsheet, read the preview, apply it, and
// find it in the import history; with JavaScript (progress bar) and without (plain form).
import { test, expect, Page } from '@playwright/test';
import { hydrated, withJs } from './support';
import { readFileSync } from 'fs';

// Every text of a form's status line and value of its bar (`upload` or `commit`), recorded
// outside the page: the page moves on as soon as the server is done. (Holding that navigation
// instead would hold Playwright's assertions on the old page as well.)
async function recordProgress(page: Page, form: string): Promise<string[]> {
  const shown: string[] = [];
  await page.exposeFunction(`record_${form}`, (text: string) => { shown.push(text); });
  await page.evaluate((form) => {
    const status = document.getElementById(`${form}-status`)!;
    const bar = document.getElementById(`${form}-bar`)!;
    const record = () => (window as any)[`record_${form}`](`${status.textContent} | ${bar.getAttribute('value')}`);
    const observer = new MutationObserver(record);
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    observer.observe(bar, { attributes: true });
  }, form);
  return shown;
}

test('Tabelle hochladen, Vorschau prüfen, übernehmen und in der Historie sehen', async ({ page }, info) => {
  const js = withJs(info);
  // Each browser project imports its own Themenfeld, so the two runs do not meet.
  const name = `Testfeld ${info.project.name}`;
  const csv = `Nr.;Themenfeld\n1;${name}\n`;

  await page.goto('/import');
  await hydrated(page, js);
  await expect(page.getByRole('heading', { level: 1, name: 'Tabellen importieren' })).toBeVisible();
  await page.getByLabel('Datei (.xlsx, .xlsm, .ods, .csv; bis 20 MB)', { exact: true }).setInputFiles({ name: 'themenfelder.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf-8') });
  // With JavaScript the upload is held at the network until the progress box has been seen: a
  // small file otherwise finishes before the assertion runs, and the check would race.
  let release = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  if (js) {
    await page.route('**/import/hochladen', async (route) => { await held; await route.continue(); });
  }
  await page.getByRole('button', { name: 'Hochladen und prüfen' }).click();
  if (js) {
    // The enhanced form shows its progress while the file travels and is checked.
    await expect(page.locator('#upload-progress')).toBeVisible();
    await expect(page.locator('#upload-status')).not.toBeEmpty();
    release();
  }

  await expect(page).toHaveURL(/\/import\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vorschau: themenfelder.csv');
  const counts = page.locator('#import-counts tbody tr').filter({ hasText: 'Themenfelder' });
  await expect(counts.locator('td').nth(0)).toHaveText('1');
  await expect(page.locator('#import-changes')).toContainText(name);

  await hydrated(page, js);
  const shown = js ? await recordProgress(page, 'commit') : [];
  // With JavaScript the commit is held at the network too, to try leaving while it runs.
  let releaseCommit = () => {};
  const commitHeld = new Promise<void>((resolve) => { releaseCommit = resolve; });
  const dialogs: string[] = [];
  if (js) {
    await page.route('**/import/*/uebernehmen', async (route) => { await commitHeld; await route.continue(); });
    page.on('dialog', (dialog) => { dialogs.push(dialog.type()); void dialog.dismiss(); });
  }
  await page.getByRole('button', { name: 'Übernehmen' }).click();
  if (js) {
    // Leaving would roll the commit back: the browser asks first, and staying lets it finish.
    await expect(page.locator('#commit-progress')).toBeVisible();
    void page.evaluate(() => { window.location.href = '/'; }).catch(() => {});
    await expect.poll(() => dialogs).toContain('beforeunload');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vorschau: themenfelder.csv');
    releaseCommit();
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Übernommen: themenfelder.csv');
  // Going on to the answer's page asked nothing.
  expect(dialogs).toEqual(js ? ['beforeunload'] : []);
  if (js) {
    // The enhanced form reported the rows the server processed before the page changed.
    await expect.poll(() => shown).toContain('Verarbeitet: 1 von 1 Zeile (100 %) – die Änderungen werden gespeichert … | 100');
  }
  await expect(page.locator('#import-state')).toContainText('Übernommen');

  await page.getByRole('link', { name: 'Zurück zu Import und Historie' }).click();
  const row = page.locator('#import-history tbody tr').first();
  await expect(row).toContainText('themenfelder.csv');
  await expect(row).toContainText('Übernommen');
});

test('Eine kaputte Datei wird mit deutscher Meldung abgelehnt', async ({ page }, info) => {
  const js = withJs(info);
  await page.goto('/import');
  await hydrated(page, js);
  await page.getByLabel('Datei (.xlsx, .xlsm, .ods, .csv; bis 20 MB)', { exact: true }).setInputFiles({ name: 'bericht.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]) });
  await page.getByRole('button', { name: 'Hochladen und prüfen' }).click();
  await expect(page).toHaveURL(/\/import\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Abgelehnt');
  await expect(page.locator('#import-errors')).toContainText('keine lesbare Tabelle');
  await expect(page.getByRole('button', { name: 'Übernehmen' })).toHaveCount(0);
});

test('Mit JavaScript zeigt der Fortschritt, wie viele Zeilen geprüft sind', async ({ page }, info) => {
  test.skip(!withJs(info), 'Den Fortschritt der Prüfung zeigt nur das Skript; ohne JavaScript wartet das Formular.');
  const rows = 3000;
  const lines = ['Nr.;Themenfeld'];
  for (let n = 1; n <= rows; n++) lines.push(`${n};Fortschrittsfeld ${n}`);

  // Reached through the menu, as the staff do: the app renders the page in the browser, and the
  // progress must work there as on a page the server sent.
  await page.goto('/');
  await hydrated(page, true);
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Import & Export' }).click();
  await expect(page).toHaveURL(/\/import$/);
  await expect(page.locator('#upload-form[data-enhanced]')).toHaveCount(1);
  await page.getByLabel('Datei (.xlsx, .xlsm, .ods, .csv; bis 20 MB)', { exact: true }).setInputFiles({ name: 'fortschritt.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n', 'utf-8') });
  const shown = await recordProgress(page, 'upload');
  await page.getByRole('button', { name: 'Hochladen und prüfen' }).click();

  await expect(page).toHaveURL(/\/import\/\d+$/);
  // The rows checked, counted by the server, reached the status line and filled the bar.
  await expect.poll(() => shown).toContain('Geprüft: 3.000 von 3.000 Zeilen (100 %) – die Vorschau wird erstellt … | 100');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vorschau: fortschritt.csv');
  // Not applied: 3,000 subject areas would crowd the other tests' pages.
  await page.getByRole('button', { name: 'Verwerfen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verworfen: fortschritt.csv');
});

test('Zurück aus dem Verlauf arbeitet das Formular wieder, ohne dass sich Zuhörer häufen', async ({ page }, info) => {
  test.skip(!withJs(info), 'Nur das Skript sperrt das Formular während der Übertragung.');
  // How many `pageshow` listeners the window has, asked of the browser itself.
  const cdp = await page.context().newCDPSession(page);
  async function pageshowListeners(): Promise<number> {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
    return listeners.filter((l) => l.type === 'pageshow').length;
  }
  const menu = page.getByRole('navigation', { name: 'Hauptnavigation' });

  // The app renders the import page afresh on each visit, with new forms to enhance.
  await page.goto('/');
  await hydrated(page, true);
  await menu.getByRole('link', { name: 'Import & Export' }).click();
  await expect(page.locator('#upload-form[data-enhanced]')).toHaveCount(1);
  const first = await pageshowListeners();
  for (let visit = 0; visit < 3; visit++) {
    await menu.getByRole('link', { name: 'Start', exact: true }).click();
    await expect(page.locator('#upload-form')).toHaveCount(0);
    await menu.getByRole('link', { name: 'Import & Export' }).click();
    await expect(page.locator('#upload-form[data-enhanced]')).toHaveCount(1);
  }
  expect(await pageshowListeners()).toBe(first);

  // A page the browser keeps while the user goes on (back-forward cache) comes back with the
  // upload it was sending cut off: the form must work again.
  let abort = () => {};
  const held = new Promise<void>((resolve) => { abort = resolve; });
  await page.route('**/import/hochladen', async (route) => { await held; await route.abort(); });
  await page.getByLabel('Datei (.xlsx, .xlsm, .ods, .csv; bis 20 MB)', { exact: true }).setInputFiles({ name: 'zurueck.csv', mimeType: 'text/csv', buffer: Buffer.from('Nr.;Themenfeld\n1;Zurück\n', 'utf-8') });
  const button = page.getByRole('button', { name: 'Hochladen und prüfen' });
  await button.click();
  await expect(page.locator('#upload-progress')).toBeVisible();
  await expect(button).toBeDisabled();
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  await expect(button).toBeEnabled();
  await expect(page.locator('#upload-progress')).toBeHidden();
  await expect(page.locator('#upload-status')).toBeEmpty();
  abort();
});

test('Fehlerhafte Vorschau: Auswahl neben ihrer Beschriftung, beide Knöpfe in einer Zeile, Verwerfen verwirft', async ({ page }, info) => {
  const js = withJs(info);
  const csv = `Nr.;Themenfeld\n1;Verwerfenfeld ${info.project.name}\n2;\n`;
  await page.goto('/import');
  await hydrated(page, js);
  await page.getByLabel('Datei (.xlsx, .xlsm, .ods, .csv; bis 20 MB)', { exact: true }).setInputFiles({ name: 'verwerfen.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf-8') });
  await page.getByRole('button', { name: 'Hochladen und prüfen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vorschau: verwerfen.csv');
  await expect(page.locator('#import-errors')).toBeVisible();
  await hydrated(page, js);

  // The choice to skip faulty rows reads as one line: box, then its words at the same height.
  const box = (await page.getByRole('checkbox', { name: 'Zeilen mit Fehlern auslassen und nur die fehlerfreien Zeilen übernehmen' }).boundingBox())!;
  const label = (await page.locator('label[for=skip-errors]').boundingBox())!;
  expect(label.x).toBeGreaterThan(box.x + box.width - 1);
  expect(label.y).toBeLessThan(box.y + box.height);
  // The two decisions sit side by side, "Übernehmen" first.
  const apply = (await page.getByRole('button', { name: 'Übernehmen' }).boundingBox())!;
  const discard = (await page.getByRole('button', { name: 'Verwerfen' }).boundingBox())!;
  expect(Math.abs(apply.y - discard.y)).toBeLessThan(2);
  expect(discard.x).toBeGreaterThan(apply.x + apply.width);
  expect(discard.x - (apply.x + apply.width)).toBeLessThan(40);

  // The errors go back to the department as a workbook: a plain link, so no script is needed.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Fehler und Hinweise als Excel-Datei herunterladen' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^import-\d+-fehlerliste\.xlsx$/);
  const workbook = readFileSync((await download.path())!);
  expect(workbook.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
  expect(workbook.length).toBeGreaterThan(2000);

  // "Verwerfen" posts its own form, with or without the script, and applies nothing.
  await page.getByRole('button', { name: 'Verwerfen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verworfen: verwerfen.csv');
  await expect(page.getByRole('button', { name: 'Übernehmen' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Zurück zu Import und Historie' }).click();
  const row = page.locator('#import-history tbody tr').first();
  await expect(row).toContainText('verwerfen.csv');
  await expect(row).toContainText('Verworfen');
});

test('Fehlerwerte wie 31.02.2027 stehen in der Fehlertabelle in einer Zeile', async ({ page }, info) => {
  const js = withJs(info);
  // A date that does not exist, beside a long title: the message column takes the room, and
  // the value column must still hold the date whole.
  const title = 'Digitale Antragsstrecke für Sondernutzungserlaubnisse im öffentlichen Straßenraum mit Gebührenbescheid';
  const csv = `Projekt-Nr;Titel;Start;Planende\nWERT-0001;${title} ${info.project.name};31.02.2027;31.12.2027\n`;
  await page.goto('/import');
  await hydrated(page, js);
  await page.getByLabel('Datei (.xlsx, .xlsm, .ods, .csv; bis 20 MB)', { exact: true }).setInputFiles({ name: 'wert.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf-8') });
  await page.getByRole('button', { name: 'Hochladen und prüfen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vorschau: wert.csv');
  const value = page.locator('#import-errors td > code', { hasText: '31.02.2027' });
  await expect(value).toHaveCount(1);
  // The text's line boxes: one top edge means one line.
  const lines = await value.evaluate((code) => {
    const range = document.createRange();
    range.selectNodeContents(code);
    return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
  });
  expect(lines).toBe(1);
  await hydrated(page, js);
  await page.getByRole('button', { name: 'Verwerfen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verworfen: wert.csv');
});

test('Die Import-Historie blättert seitenweise, mit und ohne JavaScript', async ({ page }, info) => {
  const js = withJs(info);
  // Enough imports for a second page (50 per page): small previews, sent as the form sends them.
  await page.goto('/import');
  const pager = page.getByRole('navigation', { name: 'Seitenwechsel' });
  if ((await pager.count()) === 0) {
    for (let n = 1; n <= 51; n++) {
      const response = await page.request.post('/import/hochladen', {
        multipart: { datei: { name: `seite-${n}.csv`, mimeType: 'text/csv', buffer: Buffer.from('Nr.;Themenfeld\n1;Bildung\n', 'utf-8') } },
      });
      expect(response.ok()).toBeTruthy();
    }
    await page.goto('/import');
  }
  await hydrated(page, js);
  const caption = page.locator('#import-history-titel');
  await expect(caption).toHaveText(/^Importe 1–50 von \d+, neueste zuerst$/);
  const total = Number((await caption.textContent())!.match(/von (\d+)/)![1]);
  // Known by its address: file names repeat (other tests upload the same files in both runs).
  const newest = (await page.locator('#import-history tbody tr').first().locator('a').getAttribute('href'))!;
  await pager.getByRole('link', { name: 'Weiter »' }).click();
  await expect(page).toHaveURL(/\/import\?seite=2#history-heading$/);
  await expect(caption).toHaveText(`Importe 51–${Math.min(total, 100)} von ${total}, neueste zuerst`);
  await expect(page.locator('#import-history tbody tr')).toHaveCount(Math.min(total, 100) - 50);
  await expect(page.locator(`#import-history a[href="${newest}"]`)).toHaveCount(0);
  await expect(pager.locator('[aria-current="page"]')).toHaveText('2');
  await pager.getByRole('link', { name: '« Zurück' }).click();
  await expect(caption).toHaveText(/^Importe 1–50 von/);
  await expect(page.locator('#import-history tbody tr').first().locator('a')).toHaveAttribute('href', newest);
});
