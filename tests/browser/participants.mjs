// Participants and consent in Debian's Chromium at 360×740, as an outreach worker on a
// phone: record a participant, capture consent with the statement read back in French
// and a signature drawn on screen, withdraw it, and open the disclosure report — each
// screen fitting 360 px and passing axe. Run by tests/tests/api/browser.rs.
import assert from 'node:assert/strict';
import { axe, base, browser, fits, phone } from './phone.mjs';

try {
  const { context, page } = await phone();
  await page.goto(base + '/');
  await page.getByLabel('E-mail address').fill(process.env.HARBOUR_EMAIL);
  await page.getByLabel('Password').fill(process.env.HARBOUR_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await page.getByRole('button', { name: 'Participants', exact: true }).click();
  await page.getByRole('heading', { name: 'Participants' }).waitFor();
  await page.getByText('No participant found.').waitFor();
  await axe(page, 'participants');
  await page.getByRole('button', { name: 'Record a participant' }).click();
  await page.getByLabel('Alias (the name they choose)').fill('Sky');
  await page.getByLabel('Age', { exact: true }).selectOption('16_17');
  await page.getByLabel('Pronouns', { exact: true }).fill('they/them');
  await page.getByLabel('Never leave a voicemail').check();
  // The picker offers the organization's frontline colleagues.
  await page.locator('#primary-contact option', { hasText: 'intake_worker of a' }).waitFor({ state: 'attached' });
  await page.getByLabel('Primary contact (coordinates the case)').selectOption({ label: 'intake_worker of a' });
  await page.getByLabel('— Emergency shelter').check();
  await page.getByLabel('What they are looking for').fill('a safe place tonight');
  await page.getByText('Identity (optional, encrypted)').click();
  await page.getByLabel('Legal name', { exact: true }).fill('Jordan Example');
  await fits(page, 'the participant form');
  await axe(page, 'participant form');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Sky' }).waitFor();
  await page.getByText('Jordan Example').waitFor();
  await page.getByText('intake_worker of a').waitFor();
  await page.getByText('Emergency shelter', { exact: true }).waitFor();
  await fits(page, 'the profile');
  await axe(page, 'profile');
  console.log('participant recorded: ok');

  await page.getByRole('button', { name: 'Record consent' }).click();
  await page.getByLabel('Organization B', { exact: true }).check();
  await page.getByLabel('Information sharing', { exact: true }).check();
  await page.getByLabel('Needs', { exact: true }).check();
  await page.getByLabel('Français', { exact: true }).check();
  await page.getByRole('button', { name: 'Show the statement' }).click();
  const statement = page.getByTestId('consent-statement');
  await statement.filter({ hasText: "J'accepte que Organization A communique" }).waitFor();
  assert.equal(await statement.getAttribute('lang'), 'fr', 'the statement is marked as French for screen readers');
  await fits(page, 'consent capture');
  await axe(page, 'consent capture');
  // A finger on the phone's screen: touch pointer events along a zigzag.
  const canvas = page.locator('canvas.signature');
  const pad = await canvas.boundingBox();
  const at = (i) => ({ pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true,
    clientX: pad.x + 20 + i * 25, clientY: pad.y + pad.height / 2 + (i % 2 ? 15 : -15) });
  await canvas.dispatchEvent('pointerdown', at(0));
  for (let i = 1; i <= 10; i++) await canvas.dispatchEvent('pointermove', at(i));
  await canvas.dispatchEvent('pointerup', at(10));
  await page.getByRole('button', { name: 'Record consent' }).click();
  await page.getByRole('heading', { name: 'Sky' }).waitFor({ timeout: 5000 }).catch(async (e) => {
    throw new Error(`consent not recorded: ${await page.locator('.error').allTextContents()} ${e}`);
  });
  await page.locator('.badge-open').filter({ hasText: 'Active' }).waitFor();
  console.log('consent captured with a signature: ok');

  // The participant adds safe contact: a new consent replaces the first, never edited.
  await page.getByRole('button', { name: 'Change (replaces this consent)' }).click();
  await page.getByText('will replace the current one').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('input[type=checkbox]:checked').length >= 3);
  assert.ok(await page.getByLabel('Organization B', { exact: true }).isChecked(), 'the scope starts from the consent replaced');
  await page.getByLabel('Safe contact', { exact: true }).check();
  await page.getByRole('button', { name: 'Show the statement' }).click();
  await page.getByTestId('consent-statement').filter({ hasText: 'la façon de me joindre en sécurité' }).waitFor();
  await page.getByLabel('Verbal, with a witness').check();
  await page.getByLabel("Witness's name").fill('Dana Witness');
  await page.getByRole('button', { name: 'Record consent' }).click();
  await page.getByRole('heading', { name: 'Sky' }).waitFor();
  await page.locator('.badge').filter({ hasText: /^Replaced$/ }).waitFor();
  assert.equal(await page.locator('.badge-open').filter({ hasText: 'Active' }).count(), 1, 'one active consent');
  console.log('consent changed by supersession: ok');

  await page.getByRole('button', { name: 'Record withdrawal' }).click();
  await page.getByLabel('How did they say it?').selectOption('phone');
  await page.getByRole('button', { name: 'Withdraw now' }).click();
  await page.getByRole('status').filter({ hasText: 'Consent withdrawn' }).waitFor();
  await page.locator('.badge-closed').filter({ hasText: 'Withdrawn' }).waitFor();
  await axe(page, 'profile after withdrawal');
  console.log('consent withdrawn: ok');

  await page.getByRole('button', { name: 'Disclosure report' }).click();
  await page.getByRole('heading', { name: 'Disclosure report — Sky' }).waitFor();
  await page.getByText('consent.revoke').waitFor();
  assert.equal(await page.getByText('consent.create').count(), 2, 'both consents are in the report');
  await fits(page, 'the disclosure report');
  await axe(page, 'disclosure report');
  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
  assert.equal(stored, 0, 'nothing about the participant is kept in the browser');
  assert.ok(!page.url().includes('Sky') && !page.url().includes('Jordan'), 'no participant data in the URL');
  console.log('disclosure report: ok');

  // Nothing about the participant anywhere the browser keeps things: no IndexedDB, and no
  // cached response (the service worker keeps directory reads only) that names them.
  const kept = await page.evaluate(async () => {
    const databases = (await indexedDB.databases()).map((d) => d.name);
    const bodies = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) bodies.push({ path: new URL(request.url).pathname, text: await (await cache.match(request)).text() });
    }
    return { databases, bodies };
  });
  assert.deepEqual(kept.databases, [], 'no IndexedDB');
  for (const { path, text } of kept.bodies) {
    assert.ok(!text.includes('Sky') && !text.includes('Jordan'), `the cached ${path} names the participant`);
    assert.ok(!/^\/api\/v1\/(participants|consents|referrals)/.test(path), `${path} is not cached`);
  }

  // Quick exit ends the session: coming back shows the sign-in, not the participant.
  await page.getByRole('button', { name: /Leave this site now/ }).click();
  await page.waitForURL('about:blank');
  // The sign-out goes by beacon, which the browser sends as the page goes away and the
  // server handles a moment later: someone coming back comes later than that. Opened at
  // once, on a loaded machine, the new page could restore the session before the beacon
  // ended it (seen once in a CI run).
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const back = await context.newPage();
  await back.goto(process.env.HARBOUR_URL + '/participants');
  await back.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await back.getByText('Sky').count(), 0, 'nothing of the participant after quick exit');
  console.log('nothing kept in the browser, quick exit ends it: ok');
  await context.close();
} finally {
  await browser.close();
}
