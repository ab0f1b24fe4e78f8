// Programme targets: create one and change it, with JavaScript and without (both are plain
// forms). Each confirmation stands where the browser lands after the post.
import { test, expect } from '@playwright/test';
import { hydrated, withJs } from './support';

test('Programmziel anlegen und ändern: die Bestätigung steht dort, wo die Seite hinspringt', async ({ page }, info) => {
  const js = withJs(info);
  const name = `Testziel ${info.project.name}`;
  await page.goto('/ziele');
  await hydrated(page, js);
  const create = page.locator('#neu');
  await create.getByLabel('Bezeichnung').fill(name);
  await create.getByLabel('Kennzahl').selectOption('usage_rate');
  await create.getByLabel(/^Zielwert/).fill('65');
  await create.getByLabel('Frist').fill('2027-12-31');
  await create.getByRole('button', { name: 'Ziel anlegen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.locator('#angelegt')).toHaveText('Das Ziel wurde angelegt.');
  await expect(page.locator('#angelegt')).toBeInViewport();
  await hydrated(page, js);

  const change = page.locator('#aendern');
  await change.getByLabel('Frist').fill('2028-06-30');
  await change.getByRole('button', { name: 'Ziel speichern' }).click();
  await expect(page.locator('#aendern .alert-success')).toHaveText('Das Ziel wurde gespeichert.');
  await expect(page.locator('#aendern .alert-success')).toBeInViewport();
  await expect(page.locator('.alert-success')).toHaveCount(1);
  await expect(page.locator('dl.facts')).toContainText('30.06.2028');
});
