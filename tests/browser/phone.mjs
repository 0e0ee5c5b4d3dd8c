// What every browser test shares: Debian's Chromium, a 360×740 touch phone, axe, and
// the check that a screen fits the phone's width.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';

export const base = process.env.HARBOUR_URL;

export const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** A new phone (its own cookies), with a page that fails the test on any script error. */
export async function phone(options = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, locale: 'en-CA', hasTouch: true, isMobile: true, ...options,
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  return { context, page };
}

/** No serious or critical WCAG 2 A/AA violation on the page as it is. */
export async function axe(page, where) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), [], `accessibility on ${where}`);
}

/** The page scrolls no wider than the phone. */
export async function fits(page, where) {
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, `${where} fits 360 px`);
}

/** A new phone (or other device, by `options`) signed in as `email`, on the directory. */
export async function signedIn(email, password, options = {}) {
  const { context, page } = await phone(options);
  await page.goto(base + '/');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Find a service' }).waitFor();
  return { context, page };
}
