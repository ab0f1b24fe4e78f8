// Helpers every spec needs. Not a spec itself (Playwright collects only `*.spec.ts`).
import { Page, TestInfo } from '@playwright/test';

/** Whether the test runs in the browser project with JavaScript (`mit-javascript`). */
export function withJs(info: TestInfo): boolean {
  return info.project.use.javaScriptEnabled !== false;
}

/**
 * With JavaScript, waits until the WebAssembly app has taken over the page, so that a click is
 * handled by the app and not by the browser's plain form submission. Without JavaScript the
 * server's page is all there is: nothing to wait for.
 */
export async function hydrated(page: Page, js: boolean) {
  if (js) {
    await page.waitForFunction(() => (window as any).__leitstand_hydrated === true, null, { timeout: 30_000 });
  }
}
