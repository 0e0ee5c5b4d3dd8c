// The partnership's groups in Debian's Chromium at 360×740: an outreach worker finds the
// groups by kind and cannot see who belongs to the survivor advisory; a coordinator adds
// an organization to a working group and names it co-chair. Every screen fits 360 px and
// passes axe, in English and French. An organization's profile lists the groups it
// takes part in, a private one only to a coordinator. Run by tests/tests/api/browser.rs.
import assert from 'node:assert/strict';
import { axe, browser, fits, signedIn } from './phone.mjs';

const password = process.env.HARBOUR_PASSWORD;

try {
  const worker = await signedIn(process.env.HARBOUR_EMAIL, password);
  let page = worker.page;
  await page.getByRole('button', { name: 'Groups', exact: true }).click();
  await page.getByRole('heading', { name: 'Partnership groups' }).waitFor();
  await page.getByRole('heading', { name: 'Survivor advisory' }).waitFor();
  await page.getByText('Membership private').waitFor();
  await fits(page, 'the groups');
  await axe(page, 'groups');
  await page.getByRole('button', { name: 'Survivor Advisory' }).click();
  await page.getByText('Who belongs is shared only with its members').waitFor();
  assert.equal(await page.getByText('Organization B').count(), 0, 'no member of the survivor advisory shown');
  await axe(page, 'a private group');
  // The organization's profile, from one of its services, names no private group.
  await page.getByRole('button', { name: 'Find a service', exact: true }).click();
  await page.getByLabel('What do you need?').fill('youth housing');
  await page.getByRole('button', { name: /Youth housing/ }).click();
  await page.getByRole('button', { name: 'About the organization' }).click();
  await page.getByRole('heading', { name: 'Organization B' }).waitFor();
  await page.getByText('No partnership group yet.').waitFor();
  await fits(page, 'an organization');
  await axe(page, 'an organization');
  await worker.context.close();
  console.log('private membership kept: ok');

  const coordinator = await signedIn(process.env.HARBOUR_COORDINATOR_EMAIL, password);
  page = coordinator.page;
  await page.getByRole('button', { name: 'Groups', exact: true }).click();
  await page.getByRole('button', { name: 'Training Working Group' }).click();
  await page.getByRole('heading', { name: 'Training Working Group' }).waitFor();
  await page.getByText('No member yet.').waitFor();
  await page.locator('#member-organization option', { hasText: 'Organization B' }).waitFor({ state: 'attached' });
  await page.getByLabel('Organization', { exact: true }).selectOption({ label: 'Organization B' });
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.locator('li.card p', { hasText: 'Organization B' }).waitFor();
  await page.getByRole('button', { name: 'Make co-chair' }).click();
  await page.locator('.badge', { hasText: 'Co-chair' }).waitFor();
  await fits(page, 'a group');
  await axe(page, 'a group (coordinator)');
  await page.getByRole('button', { name: 'Français' }).click();
  await page.getByRole('button', { name: 'Retirer de la coprésidence' }).waitFor();
  await axe(page, 'a group in French');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Find a service', exact: true }).click();
  await page.getByLabel('What do you need?').fill('youth housing');
  await page.getByRole('button', { name: /Youth housing/ }).click();
  await page.getByRole('button', { name: 'About the organization' }).click();
  await page.getByRole('heading', { name: 'Organization B' }).waitFor();
  await page.getByText('Training Working Group (co-chair)').waitFor();
  await page.getByText('Survivor Advisory').waitFor();
  await coordinator.context.close();
  console.log('member added and co-chair named: ok');
} finally {
  await browser.close();
}
