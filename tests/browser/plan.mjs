// An individualized plan in Debian's Chromium at 360×740, as an outreach worker on a
// phone: open the participant's goals, note the stage of change they name, set a goal in
// their words, add a step a colleague takes by a date, mark it done, set the review date,
// and read what moved — every screen fitting 360 px and passing axe, and nothing about
// the participant left in the browser's storage. Run by tests/tests/api/browser.rs.
import assert from 'node:assert/strict';
import { axe, browser, fits, signedIn } from './phone.mjs';

try {
  const { context, page } = await signedIn(process.env.HARBOUR_EMAIL, process.env.HARBOUR_PASSWORD);
  await page.getByRole('button', { name: 'Participants', exact: true }).click();
  await page.getByRole('button', { name: /Rowan/ }).click();
  await page.getByRole('heading', { name: 'Rowan' }).waitFor();
  await page.getByRole('button', { name: 'Goals and steps', exact: true }).click();
  await page.getByRole('heading', { name: 'Goals and steps' }).waitFor();
  await page.getByText('No goals yet.').waitFor();
  await axe(page, 'no goals yet');

  await page.getByLabel('Stage of change').selectOption('preparation');
  await page.getByRole('button', { name: 'Record the stage' }).click();
  await page.getByText(/Getting ready · \d{4}-\d{2}-\d{2}/).waitFor();

  await page.getByLabel('Area of life').selectOption('housing');
  await page.getByLabel('The goal, in their words').fill('a room of my own by spring');
  await page.getByRole('button', { name: 'Add the goal' }).click();
  await page.getByRole('heading', { name: 'a room of my own by spring' }).waitFor();
  console.log('goal set: ok');

  await page.getByText('Add a step', { exact: true }).first().click();
  await page.getByLabel('What is to be done').fill('book a viewing at the youth residence');
  await page.locator('select[id^="step-owner-"] option', { hasText: 'intake_worker of a' }).waitFor({ state: 'attached' });
  await page.getByLabel('Who takes it').selectOption({ label: 'intake_worker of a' });
  await page.getByLabel('By', { exact: true }).fill('2027-01-20');
  await page.locator('select[id^="step-referral-"] option', { hasText: 'Youth residence' }).waitFor({ state: 'attached' });
  await page.getByLabel('It is this referral').selectOption({ label: 'Youth residence — Organization B' });
  await fits(page, 'the step form');
  await axe(page, 'step form');
  await page.getByRole('button', { name: 'Add a step' }).click();
  await page.getByText('book a viewing at the youth residence').waitFor();
  await page.getByText(/intake_worker of a · By 2027-01-20 · To do/).waitFor();
  console.log('step added: ok');

  // Linked both ways: the step opens its referral, and the referral names its step.
  await page.getByRole('link', { name: 'Referral: Youth residence — Organization B' }).click();
  await page.getByRole('heading', { name: 'Youth residence' }).waitFor();
  await page.getByRole('button', { name: 'a room of my own by spring — book a viewing at the youth residence' }).click();
  await page.getByRole('heading', { name: 'Goals and steps' }).waitFor();
  console.log('step and referral linked: ok');

  await page.getByLabel('Where the step stands').selectOption('done');
  await page.getByText(/intake_worker of a · By 2027-01-20 · Done/).waitFor();
  await page.getByLabel('Go over the plan again on').fill('2027-03-01');
  await page.getByRole('button', { name: 'Save the date' }).click();
  await page.getByText('Review date set: 2027-03-01').waitFor();
  await page.getByRole('heading', { name: 'What moved' }).waitFor();
  await page.getByText('Step changed: Done').waitFor();
  await fits(page, 'the plan');
  await axe(page, 'plan');
  console.log('step done: ok');

  await page.getByRole('button', { name: 'Français' }).click();
  await page.getByRole('heading', { name: 'Objectifs et étapes' }).waitFor();
  await page.getByText('Étape modifiée : Fait').waitFor();
  await axe(page, 'plan in French');
  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
  assert.equal(stored, 0, 'nothing about the participant is kept in the browser');
  console.log('plan in French: ok');
  await context.close();
} finally {
  await browser.close();
}
