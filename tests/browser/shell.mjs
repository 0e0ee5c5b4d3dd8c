// The app shell in Debian's Chromium at 360×740: sign in, the frame, a reload that keeps
// the session (httpOnly refresh cookie), French, accessibility (axe), nothing stored in
// the browser, and quick exit by button and by Esc twice. Run by tests/tests/api/browser.rs.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';

const base = process.env.HARBOUR_URL;
const email = process.env.HARBOUR_EMAIL;
const password = process.env.HARBOUR_PASSWORD;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function phone() {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-CA', hasTouch: true, isMobile: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  return { context, page };
}

async function axe(page, where) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), [], `accessibility on ${where}`);
}

async function signIn(page) {
  await page.goto(base + '/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('frame-organization').filter({ hasText: 'Organization A' }).waitFor();
}

try {
  const { context, page } = await phone();
  await page.goto(base + '/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await axe(page, 'sign-in');

  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'not right' }).waitFor();

  await signIn(page);
  await page.getByRole('heading', { name: 'Welcome' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
  await axe(page, 'home');
  console.log('sign-in and frame: ok');

  await page.reload();
  await page.getByTestId('frame-organization').filter({ hasText: 'Organization A' }).waitFor();
  console.log('session survives a reload: ok');

  await page.getByRole('button', { name: 'Afficher en français' }).click();
  await page.getByRole('heading', { name: 'Bienvenue' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  await page.getByRole('button', { name: /Quitter ce site/ }).waitFor();
  await axe(page, 'home in French');
  console.log('french: ok');

  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
  assert.equal(stored, 0, 'nothing in localStorage or sessionStorage');
  const cookieVisible = await page.evaluate(() => document.cookie.includes('harbour_refresh'));
  assert.equal(cookieVisible, false, 'the refresh cookie is invisible to scripts');

  // Quick exit by the button: the neutral page replaces Harbour, Back does not return.
  await page.getByRole('button', { name: /Quitter ce site/ }).click();
  await page.waitForURL('about:blank');
  const back = await page.goBack().catch(() => null);
  assert.ok(!page.url().startsWith(base), `Back must not return to Harbour (at ${page.url()}, ${back})`);
  // And the session is over on the server too.
  const again = await context.newPage();
  await again.goto(base + '/');
  await again.getByRole('heading', { name: 'Sign in' }).waitFor();
  await context.close();

  // Quick exit by pressing Esc twice.
  const second = await phone();
  await signIn(second.page);
  await second.page.keyboard.press('Escape');
  await second.page.keyboard.press('Escape');
  await second.page.waitForURL('about:blank');
  await second.context.close();
  console.log('quick exit: ok');
} finally {
  await browser.close();
}
