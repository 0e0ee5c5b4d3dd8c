// Coordinators curate the category tree and the regions from a 360 px phone: the tree
// read as nested lists, a new category placed under another, one moved to the top, a
// region added and renamed, a colleague's save refused instead of overwritten, and the
// new category offered by the directory's filter. Run by tests/tests/api/browser.rs.
import assert from 'node:assert/strict';
import { axe, browser, fits, signedIn } from './phone.mjs';

const email = process.env.HARBOUR_EMAIL;
const colleague = process.env.HARBOUR_COLLEAGUE_EMAIL;
const password = process.env.HARBOUR_PASSWORD;

async function openCuration(page) {
  await page.getByRole('button', { name: 'Categories', exact: true }).click();
  await page.getByRole('heading', { name: 'Categories and regions', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Edit category — Housing & shelter' }).waitFor();
}

try {
  const { context, page } = await signedIn(email, password);
  await openCuration(page);
  // The tree nests: Emergency shelter is read inside Housing & shelter's item.
  const housing = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Edit category — Housing & shelter' }) });
  await housing.getByRole('button', { name: 'Edit category — Emergency shelter' }).waitFor();
  await fits(page, 'the categories');
  await axe(page, 'categories and regions');

  // A new category under Emergency shelter.
  await page.getByRole('button', { name: 'Add a category' }).click();
  await page.getByRole('heading', { name: 'Add a category', level: 3 }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'term-form-title', 'the opened form has the focus');
  await page.getByLabel('Name in English').fill('Youth beds');
  await page.getByLabel('Name in French').fill('Lits jeunesse');
  await page.getByLabel('Code').fill('housing.youth-beds');
  await page.getByLabel('Sits under').selectOption({ label: '— Emergency shelter' });
  await page.getByLabel('What it covers').fill('Beds kept for people under 25.');
  await fits(page, 'the category form');
  await axe(page, 'category form');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Category saved.' }).waitFor();
  // The innermost item holding Emergency shelter is its own (Housing's holds it too).
  const shelter = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Edit category — Emergency shelter' }) }).last();
  await shelter.getByRole('button', { name: 'Edit category — Youth beds' }).waitFor();
  console.log('category added under another: ok');

  // A code another category has is refused, and says so.
  await page.getByRole('button', { name: 'Edit category — Youth beds' }).click();
  await page.getByLabel('Code').fill('housing');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').filter({ hasText: 'already uses this code' }).waitFor();
  // Moved to the top of the tree; a category cannot be put under itself.
  await page.getByLabel('Code').fill('youth-beds');
  const places = await page.getByLabel('Sits under').locator('option').allTextContents();
  assert.ok(!places.some((p) => p.includes('Youth beds')), `not offered under itself: ${places}`);
  await page.getByLabel('Sits under').selectOption({ label: 'Nothing: a top category' });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Category saved.' }).waitFor();
  await shelter.getByRole('button', { name: 'Edit category — Youth beds' }).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Edit category — Youth beds' }).waitFor();
  console.log('category moved to the top: ok');

  // A region added, then renamed.
  await page.getByRole('button', { name: 'Add a region' }).click();
  await page.getByLabel('Name in English').fill('Cape Breton');
  await page.getByLabel('Name in French').fill('Cap-Breton');
  await page.getByLabel('Short name').fill('cape-breton');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Region saved.' }).waitFor();
  await page.getByRole('button', { name: 'Edit region — Cape Breton' }).click();
  await page.getByLabel('Name in English').fill("Unama'ki – Cape Breton");
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: "Edit region — Unama'ki – Cape Breton" }).waitFor();
  console.log('region added and renamed: ok');

  // Two coordinators open Halifax; the second to save is told, not allowed to undo the first.
  const other = await signedIn(colleague, password);
  await openCuration(other.page);
  await page.getByRole('button', { name: 'Edit region — Halifax' }).click();
  await other.page.getByRole('button', { name: 'Edit region — Halifax' }).click();
  await other.page.getByLabel('Name in English').fill('Halifax Regional Municipality');
  await other.page.getByRole('button', { name: 'Save' }).click();
  await other.page.getByRole('status').filter({ hasText: 'Region saved.' }).waitFor();
  await page.getByLabel('Name in English').fill('Halifax and area');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').filter({ hasText: 'Someone else saved a change since you opened this' }).waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Edit region — Halifax Regional Municipality' }).waitFor();
  await other.context.close();
  console.log("a colleague's change is not overwritten: ok");

  // In French, and the directory's filter offers the new category.
  await page.getByRole('button', { name: 'Afficher en français' }).click();
  await page.getByRole('heading', { name: 'Catégories et régions', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Modifier la catégorie — Lits jeunesse' }).waitFor();
  await axe(page, 'categories and regions (French)');
  await page.getByRole('button', { name: 'Show in English' }).click();
  await page.getByRole('button', { name: 'Find a service' }).click();
  await page.getByRole('heading', { name: 'Find a service' }).waitFor();
  await page.getByText('More filters').click();
  await page.getByLabel('Category', { exact: true }).locator('option', { hasText: 'Youth beds' }).waitFor({ state: 'attached' });
  await context.close();
  console.log('curation: ok');
} finally {
  await browser.close();
}
