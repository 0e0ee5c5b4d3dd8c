// Referrals in Debian's Chromium at 360×740: an outreach worker refers a participant
// (consent already recorded) to another organization's service from a phone; an intake
// worker there opens the inbox, accepts, and writes back. Run by tests/tests/api/browser.rs.
import assert from 'node:assert/strict';
import { axe, browser, fits, signedIn } from './phone.mjs';

const password = process.env.HARBOUR_PASSWORD;

try {
  const worker = await signedIn(process.env.HARBOUR_EMAIL, password);
  let page = worker.page;
  await page.getByRole('button', { name: 'Participants', exact: true }).click();
  await page.getByRole('button', { name: /Nova/ }).click();
  await page.getByRole('button', { name: 'Refer to a service' }).click();
  await page.getByLabel('Find a service that takes referrals').fill('youth');
  await page.getByLabel(/Youth housing/).check();
  await page.getByLabel('How soon').selectOption('same_day');
  await page.getByLabel('What they need').fill('a room this week');
  await fits(page, 'the referral form');
  await axe(page, 'referral form');
  await page.getByRole('button', { name: 'Send referral' }).click();
  await page.getByRole('alert').filter({ hasText: 'tick the box' }).waitFor();
  await page.getByLabel(/I checked with the participant/).check();
  await page.getByRole('button', { name: 'Send referral' }).click();
  await page.getByRole('heading', { name: 'Youth housing' }).waitFor();
  await page.locator('.badge').filter({ hasText: /^Sent$/ }).waitFor();
  await fits(page, 'the referral');
  await axe(page, 'referral (sender)');
  assert.ok(!page.url().includes('Nova'), 'no participant data in the URL');
  await worker.context.close();
  console.log('referral sent: ok');

  const intake = await signedIn(process.env.HARBOUR_RECEIVER_EMAIL, password);
  page = intake.page;
  // The in-app reminder: the new referral waits in the navigation.
  await page.getByTestId('waiting-count').filter({ hasText: '1' }).waitFor();
  await page.getByRole('button', { name: /^Referrals/ }).click();
  await page.getByRole('heading', { name: 'Referrals' }).waitFor();
  await axe(page, 'inbox');
  await page.getByRole('button', { name: /Youth housing/ }).click();
  await page.locator('.badge').filter({ hasText: /^Opened$/ }).waitFor();
  await page.getByText('Nova').waitFor();
  await page.getByRole('button', { name: /assign to me/ }).click();
  // Wait for the assignment itself (the timeline already names this worker, who opened it).
  await page.getByText('Handled by').waitFor();
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.locator('.badge').filter({ hasText: /^Accepted$/ }).waitFor();
  await page.getByLabel('Message to the other organization').fill('We have a room from Friday.');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.getByText('We have a room from Friday.').waitFor();
  await fits(page, 'the referral (receiver)');
  await axe(page, 'referral (receiver)');
  // Opened from its address (a link in an e-mail): boot.js fetches the referral screens'
  // chunks once the app's module is in, and the chunk loader takes those answers, not
  // fetching again.
  const screenChunk = [];
  const countChunk = (r) => { if (/\/split_referral_screens_[^/]*\.wasm$/.test(r.url())) screenChunk.push(r.url()); };
  page.on('request', countChunk);
  await page.reload();
  await page.getByText('We have a room from Friday.').waitFor();
  page.off('request', countChunk);
  assert.equal(await page.locator('link[rel=preload][href*="/split_referral_screens_"]').count(), 1, 'the screen is preloaded');
  assert.equal(screenChunk.length, 1, `the preloaded chunk is fetched once: ${screenChunk}`);
  await intake.context.close();
  console.log('referral accepted and answered: ok');
} finally {
  await browser.close();
}
