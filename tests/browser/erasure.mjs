// Erasing a participant in Debian's Chromium at 360×740, as an agency admin on a phone:
// first their own records are printed for them; then the record's erase panel asks how and why the participant asked and a check that it is
// the right person, then erases; the screen says so, and the participant is gone from
// the list. Each screen fits 360 px and passes axe. Run by tests/tests/api/browser.rs.
import assert from 'node:assert/strict';
import { axe, browser, fits, signedIn } from './phone.mjs';

try {
  const { context, page } = await signedIn(process.env.HARBOUR_EMAIL, process.env.HARBOUR_PASSWORD);
  await page.getByRole('button', { name: 'Participants', exact: true }).click();
  await page.getByRole('heading', { name: 'Participants' }).waitFor();
  await page.getByRole('button', { name: /Wren/ }).click();
  await page.getByRole('heading', { name: 'Wren' }).waitFor();

  // First their own copy of everything held, printed, as they asked before the erasure.
  const [records] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/own-records')),
    page.getByRole('button', { name: 'Everything we hold about them, to print' }).click(),
  ]);
  assert.equal(records.status(), 200);
  const copy = await records.text();
  assert.ok(copy.includes('Your records') && copy.includes('Robin Example'), 'the copy holds their record');
  console.log('their records printed: ok');

  await page.getByText('Erase this record').click();
  const erase = page.getByRole('button', { name: 'Erase now' });
  assert.ok(await erase.isDisabled(), 'nothing is erased before the check');
  await page.getByLabel('How did they ask?').selectOption('phone');
  await page.getByLabel('Why').selectOption('participant_request');
  assert.equal(await page.locator('#erase-method option[value="retention"]').count(), 0, "Harbour's own method is not offered");
  await page.getByLabel('I have checked this is the right person').check();
  await fits(page, 'the erase panel');
  await axe(page, 'erase panel');
  await erase.click();
  await page.getByRole('status').filter({ hasText: 'The record was erased.' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Wren' }).count(), 0, 'the record is no longer shown');
  await axe(page, 'after the erasure');
  console.log('erased: ok');

  await page.getByRole('button', { name: 'Participants', exact: true }).click();
  await page.getByRole('heading', { name: 'Participants' }).waitFor();
  await page.getByText('No participant found.').waitFor();
  console.log('gone from the list: ok');
  await context.close();
} finally {
  await browser.close();
}
