// The app in Debian's Chromium at 360×740: sign in, the frame, directory search with a
// typo, the filter sheet, a service page with its call link, a reload that keeps the session (httpOnly
// refresh cookie), French, accessibility (axe), nothing stored in the browser, and
// quick exit by button and by Esc twice. Run by tests/tests/api/browser.rs, which
// creates the service searched for.
import assert from 'node:assert/strict';
import { axe, base, browser, fits, phone as newPhone } from './phone.mjs';

const email = process.env.HARBOUR_EMAIL;
const password = process.env.HARBOUR_PASSWORD;

// The phone stands near the test's shelter, on Halifax's waterfront, its clock set to
// another zone: hours are still shown as Halifax's clocks read them.
const phone = () => newPhone({ geolocation: { latitude: 44.6488, longitude: -63.5752 }, permissions: ['geolocation'], timezoneId: 'Asia/Tokyo' });

async function signIn(page) {
  await page.goto(base + '/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('organization-name').filter({ hasText: 'Organization A' }).waitFor();
}

try {
  const { context, page } = await phone();
  // Which of the app's files the phone fetched: the first visit needs only the main module.
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(base + '/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await axe(page, 'sign-in');
  // The bar keeps one height signed out and in, in either language: a bar that grew as a
  // restored session settled moved the whole screen down under the user's thumb.
  const barHeight = () => page.locator('.frame-bar').evaluate((bar) => bar.getBoundingClientRect().height);
  const signedOutBar = await barHeight();

  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'not right' }).waitFor();

  await signIn(page);
  await page.getByRole('heading', { name: 'Find a service' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways scrolling at 360 px');
  assert.equal(await barHeight(), signedOutBar, 'the bar is as high signed in as signed out');
  console.log('sign-in and frame: ok');

  await page.getByLabel('What do you need?').fill('sheltr');
  await page.getByRole('button', { name: /Night shelter/ }).waitFor();
  await page.getByRole('button', { name: 'Open now' }).click();
  await page.getByRole('button', { name: /Night shelter/ }).waitFor();
  await page.getByRole('button', { name: 'Near me' }).click();
  await page.locator('.result .badge').filter({ hasText: /^0\.\d km$/ }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'results fit 360 px');
  await axe(page, 'directory');
  await page.getByRole('button', { name: /Night shelter/ }).click();
  await page.getByRole('heading', { name: 'Night shelter' }).waitFor();
  const call = page.getByRole('link', { name: /Call 902-555-0199/ });
  assert.equal(await call.getAttribute('href'), 'tel:902-555-0199');
  await page.getByRole('link', { name: 'Directions' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'service page fits 360 px');
  await axe(page, 'service');
  await page.getByRole('button', { name: /Back to results/ }).click();
  await page.getByRole('button', { name: /Night shelter/ }).waitFor();
  assert.equal(await page.getByLabel('What do you need?').inputValue(), 'sheltr', 'the search is kept');
  const chunks = fetched.filter((p) => /\/(split_|chunk_)[^/]*\.wasm$/.test(p));
  assert.deepEqual(chunks, [], 'sign-in, the directory and a service page load no split chunk');
  console.log('directory and service page: ok');

  // The filter sheet: gender, age and cultural support narrow the results, its summary
  // says how many of its filters are set, and Clear filters removes every filter.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('What do you need?').fill('drop');
  await page.getByRole('button', { name: /Girls' drop-in/ }).waitFor();
  // Closed now, its card says when it opens next (set by browser.rs).
  await page.locator('.result').filter({ hasText: "Girls' drop-in" }).locator('.badge-closed')
    .filter({ hasText: `Closed now · opens ${process.env.HARBOUR_DROP_IN_OPENS}` }).waitFor();
  await page.locator('.more-filters summary').click();
  await page.getByLabel('Serves').selectOption({ label: 'Boys and men' });
  await page.getByRole('status').filter({ hasText: 'No service matches' }).waitFor();
  await page.getByLabel('Serves').selectOption({ label: 'Girls and women' });
  await page.getByRole('button', { name: /Girls' drop-in/ }).waitFor();
  await page.getByLabel('Age of the person').fill('30');
  await page.getByRole('status').filter({ hasText: 'No service matches' }).waitFor();
  await page.getByLabel('Age of the person').fill('15');
  await page.getByLabel('Cultural support').selectOption({ label: 'Indigenous supports' });
  await page.getByRole('button', { name: /Girls' drop-in/ }).waitFor();
  assert.equal(await page.getByTestId('filter-count').textContent(), ' (3)');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'the open filter sheet fits 360 px');
  await axe(page, 'filter sheet');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByTestId('filter-count').waitFor({ state: 'detached' });
  assert.equal(await page.getByLabel('Age of the person').inputValue(), '');
  assert.equal(await page.getByLabel('Serves').inputValue(), '');
  console.log('filter sheet: ok');

  // Restored once: boot.js asks while the app downloads and the app takes that answer
  // (two refreshes of one cookie would end the session).
  const refreshes = [];
  const countRefresh = (r) => { if (r.url().endsWith('/api/v1/auth/refresh')) refreshes.push(r.url()); };
  page.on('request', countRefresh);
  await page.reload();
  await page.getByTestId('organization-name').filter({ hasText: 'Organization A' }).waitFor();
  page.off('request', countRefresh);
  assert.equal(refreshes.length, 1, 'the session is restored with one refresh');
  console.log('session survives a reload: ok');

  await page.getByRole('button', { name: 'Afficher en français' }).click();
  await page.getByRole('heading', { name: 'Trouver un service' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  await page.getByRole('button', { name: /Quitter ce site/ }).waitFor();
  assert.equal(await barHeight(), signedOutBar, 'the bar is as high in French');
  await axe(page, 'directory in French');
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

  // An agency admin updates capacity in one tap from "My organization".
  const admin = await phone();
  await admin.page.goto(base + '/');
  await admin.page.getByLabel('E-mail address').fill(process.env.HARBOUR_ADMIN_EMAIL);
  await admin.page.getByLabel('Password').fill(password);
  await admin.page.getByRole('button', { name: 'Sign in' }).click();
  const split = admin.page.waitForRequest((r) => /\/split_organization_screens_[^/]*\.wasm$/.test(r.url()));
  await admin.page.getByRole('button', { name: 'My organization' }).click();
  await split;
  await admin.page.getByRole('heading', { name: 'Our services and capacity' }).waitFor();
  await admin.page.getByRole('button', { name: 'Waitlist', exact: true }).first().click();
  await admin.page.getByRole('status').filter({ hasText: 'Capacity saved.' }).waitFor();
  await admin.page.locator('.badge-wait').filter({ hasText: 'Waitlist' }).first().waitFor();
  assert.equal(await admin.page.evaluate(() => document.documentElement.scrollWidth), 360, 'my organization fits 360 px');
  await axe(admin.page, 'my organization');
  console.log('capacity in one tap: ok');

  // The admin changes a service's details: a texting line and a holiday closure, saved
  // with the version read, shown at once on the service page.
  await admin.page.getByRole('button', { name: "Edit details — Girls' drop-in" }).click();
  await admin.page.getByRole('heading', { name: "Girls' drop-in" }).waitFor();
  assert.equal(await admin.page.getByLabel('Name of the service').inputValue(), "Girls' drop-in");
  await admin.page.getByRole('button', { name: 'Add a phone number' }).click();
  await admin.page.getByLabel('Number', { exact: true }).fill('902-555-0142');
  await admin.page.getByLabel('Calls or texts').selectOption('text');
  await admin.page.getByRole('button', { name: 'Add a holiday' }).click();
  const soon = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
  await admin.page.getByLabel('Date', { exact: true }).fill(soon);
  await admin.page.getByLabel('What day it is').fill('Staff training day');
  assert.equal(await admin.page.evaluate(() => document.documentElement.scrollWidth), 360, 'the service form fits 360 px');
  await axe(admin.page, 'service form');
  await admin.page.getByRole('button', { name: 'Save' }).click();
  await admin.page.getByRole('link', { name: /Text 902-555-0142/ }).waitFor();
  await admin.page.getByText('Staff training day').waitFor();
  console.log('service details edited: ok');

  // And adds a service.
  await admin.page.getByRole('button', { name: 'My organization' }).click();
  await admin.page.getByRole('button', { name: 'Add a service' }).click();
  await admin.page.getByLabel('Name of the service').fill('Evening meals');
  await admin.page.getByLabel('What it offers').fill('A hot meal, no questions asked.');
  await admin.page.getByLabel('Walk-in', { exact: true }).check();
  await admin.page.getByRole('button', { name: 'Save' }).click();
  await admin.page.getByRole('heading', { name: 'Evening meals' }).waitFor();
  await admin.page.locator('.badge-fit').filter({ hasText: 'Walk-in' }).waitFor();
  console.log('service added: ok');

  // And a safe house: its address stays inside the organization.
  await admin.page.getByRole('button', { name: 'My organization' }).click();
  await admin.page.getByRole('button', { name: 'Add a place' }).click();
  await admin.page.getByLabel('Name of the place').fill('Quiet house');
  await admin.page.getByLabel('Who may see the address').selectOption({ label: 'Only our organization (safe house)' });
  await admin.page.getByLabel('Street address').fill('7 Hidden Road');
  await admin.page.getByLabel('City or community').fill('Halifax');
  await admin.page.getByLabel('How to reach it when the address is hidden').fill('Call the intake line first.');
  // Standing at the place: its coordinates from the phone, to the metre.
  await admin.page.getByRole('button', { name: 'Use where I am now' }).click();
  await admin.page.waitForFunction(() => document.getElementById('place-latitude')?.value !== '');
  assert.equal(await admin.page.getByLabel('Latitude').inputValue(), '44.6488');
  assert.equal(await admin.page.getByLabel('Longitude').inputValue(), '-63.5752');
  await fits(admin.page, 'the place form');
  await axe(admin.page, 'place form');
  await admin.page.getByRole('button', { name: 'Save' }).click();
  await admin.page.getByRole('button', { name: 'Edit place — Quiet house' }).click();
  assert.equal(await admin.page.getByLabel('Street address').inputValue(), '7 Hidden Road', 'its own organization sees the address');
  assert.equal(await admin.page.getByLabel('Latitude').inputValue(), '44.6488', 'the position was saved');
  await admin.page.getByLabel('Name of the place').fill('Quiet house (east)');
  await admin.page.getByRole('button', { name: 'Save' }).click();
  await admin.page.getByRole('button', { name: 'Edit place — Quiet house (east)' }).waitFor();
  await admin.context.close();
  console.log('places: ok');

  // Offline after a first visit: the app and the directory saved by the service worker.
  const away = await phone();
  await signIn(away.page);
  await away.page.evaluate(() => navigator.serviceWorker.ready);
  await away.page.reload();
  await away.page.getByRole('button', { name: /Night shelter/ }).waitFor();
  await away.page.getByRole('button', { name: /Night shelter/ }).click();
  await away.page.getByRole('heading', { name: 'Night shelter' }).waitFor();
  await away.context.setOffline(true);
  await away.page.reload();
  await away.page.getByText('No connection').waitFor();
  await away.page.getByRole('heading', { name: 'Night shelter' }).waitFor();
  await away.page.getByRole('button', { name: /Back to results/ }).click();
  await away.page.getByRole('button', { name: /Night shelter/ }).waitFor();
  const saved = await away.page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  const allowed = [/^\/$/, /^\/assets\//, /^\/api\/v1\/(services|taxonomy_terms|regions|instance)/];
  for (const path of saved) assert.ok(allowed.some((a) => a.test(path)), `only the app and the directory are saved offline, not ${path}`);
  await away.context.close();
  console.log('offline directory: ok');

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
