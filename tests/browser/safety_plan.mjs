// A safety plan in Debian's Chromium at 360×740, as an outreach worker on a phone: open
// the participant's plan, write it with them, change it (a second revision), and print
// their own copy, which names no organization unless they choose and leaves nothing on
// the phone. Each screen fits 360 px and passes axe. Run by tests/tests/api/browser.rs.
import assert from 'node:assert/strict';
import { axe, browser, fits, signedIn } from './phone.mjs';

try {
  const { context, page } = await signedIn(process.env.HARBOUR_EMAIL, process.env.HARBOUR_PASSWORD);
  await page.getByRole('button', { name: 'Participants', exact: true }).click();
  await page.getByRole('button', { name: /Juniper/ }).click();
  await page.getByRole('heading', { name: 'Juniper' }).waitFor();
  await page.getByRole('button', { name: 'Safety plan', exact: true }).click();
  await page.getByRole('heading', { name: 'Safety plan' }).waitFor();
  await page.getByText('No safety plan yet.').waitFor();
  await axe(page, 'no plan yet');

  await page.getByRole('button', { name: 'Write the plan' }).click();
  await page.getByLabel('Warning signs').fill('a grey car outside the school');
  await page.getByLabel('If someone they fear finds them').fill('go into the corner store and call Sam');
  await page.getByLabel('Go over it again on').fill('2027-01-15');
  await fits(page, 'the plan form');
  await axe(page, 'plan form');
  await page.getByRole('button', { name: 'Save as a new revision' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved as a new revision.' }).waitFor();
  await page.getByText('Revision 1').waitFor();
  await page.getByText('a grey car outside the school').waitFor();
  await fits(page, 'the plan');
  await axe(page, 'plan');
  console.log('plan written: ok');

  await page.getByRole('button', { name: 'Change the plan' }).click();
  assert.equal(await page.getByLabel('Warning signs').inputValue(), 'a grey car outside the school', 'the form starts from the current revision');
  await page.getByLabel('Warning signs').fill('a grey car outside the school, or texts from unknown numbers');
  await page.getByRole('button', { name: 'Save as a new revision' }).click();
  await page.getByText('Revision 2').waitFor();
  await page.getByText('or texts from unknown numbers').waitFor();
  console.log('plan revised: ok');

  const [copy] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/safety-plan/copy')),
    page.getByRole('button', { name: 'Their own copy, to print' }).click(),
  ]);
  const text = await copy.text();
  assert.equal(copy.status(), 200);
  assert.ok(text.includes('or texts from unknown numbers') && text.includes('call Sam'), 'the copy has their words');
  assert.ok(!text.includes('Organization A'), 'no organization named unless they choose');
  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
  assert.equal(stored, 0, 'nothing about the participant is kept in the browser');
  console.log('their copy printed: ok');
  await context.close();
} finally {
  await browser.close();
}
