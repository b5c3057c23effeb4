/**
 * Driving the live page in Chromium, for the browser tests: contexts that refuse every request
 * off this machine, opening the page and waiting until it is ready, waiting for one more finished
 * operation, and dropping a file the way a user's drag does.
 *
 * @module
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** A context whose every request is checked: anything off this machine is pushed to `offsite` and refused. */
export async function guardedContext(b: Browser, offsite: string[], permissions: string[] = []): Promise<BrowserContext> {
  const ctx = await b.newContext({ permissions });
  await ctx.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || u.protocol === 'data:' || u.protocol === 'blob:') return route.continue();
    offsite.push(u.href);
    return route.abort('blockedbyclient');
  });
  return ctx;
}

/** Opens the page and waits for `data-ready`; returns it and the page's own start-up time, ms. */
export async function openPage(ctx: BrowserContext, url: string): Promise<{ page: Page; readyMs: number }> {
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 20_000 })
    .catch(() => { throw new Error(`page at ${url} never became ready (page errors: ${errors.join('; ') || 'none'})`); });
  return { page, readyMs: Number(await page.evaluate(() => document.body.dataset.readyMs)) };
}

/** What the page shows after an operation: its message, the message's kind and the prediction. */
export interface PageOutcome { message: string; kind: string; prediction: string }

/** Runs `act`, then waits until the page has finished one more operation; returns what it shows. */
export async function afterOperation(page: Page, act: () => Promise<unknown>, timeout = 15_000): Promise<PageOutcome> {
  const before = await page.evaluate(() => (window as any).__speechcore.finished as number);
  await act();
  await page.waitForFunction((n) => (window as any).__speechcore.finished > n, before, { timeout });
  return page.evaluate(() => ({
    message: document.querySelector('[data-testid=message]')!.textContent ?? '',
    kind: (document.querySelector('[data-testid=message]') as HTMLElement).dataset.kind ?? '',
    prediction: document.querySelector('[data-testid=prediction]')!.textContent ?? '',
  }));
}

/** Drops a file on the drop zone the way a user's drag does: a drop event carrying a DataTransfer. */
export function dropFile(page: Page, name: string, bytes: Uint8Array, type = 'audio/wav', timeout?: number): Promise<PageOutcome> {
  return afterOperation(page, () => page.evaluate(({ name, b64, type }) => {
    const bin = atob(b64);
    const data = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([data], name, { type }));
    document.querySelector('[data-testid=dropzone]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { name, b64: Buffer.from(bytes).toString('base64'), type }), timeout);
}
