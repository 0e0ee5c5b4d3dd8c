// The coordinators' dashboard in Debian's Chromium, on a 360 px phone and a 1280 px
// laptop: charts with their text alternatives and tables, suppressed figures, a CSV
// download, a refused narrow month, French, the drill-down from a gap-map cell to
// the directory's listings, and confirming a listing is current. Run by tests/tests/api/browser.rs.
import assert from 'node:assert/strict';
import { axe, browser, fits, signedIn } from './phone.mjs';

const email = process.env.HARBOUR_EMAIL;
const password = process.env.HARBOUR_PASSWORD;

async function openDashboard(page) {
  await page.getByRole('button', { name: 'Dashboard' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  await page.getByRole('img', { name: /^Where referrals stand\. .*Accepted: \d+/ }).waitFor();
  await page.getByRole('img', { name: /^Services by need and region/ }).waitFor();
}

try {
  // On a phone.
  const { context, page } = await signedIn(email, password);
  await openDashboard(page);
  const funnel = page.getByTestId('funnel');
  // The chart's words carry the suppressed figures as they are.
  const words = await funnel.getByRole('img').getAttribute('aria-label');
  assert.match(words, /Withdrawn: <5/, words);
  await funnel.getByText('Table view').click();
  await funnel.getByRole('row', { name: /Withdrawn <5/ }).waitFor();
  await funnel.getByRole('row', { name: /Total 30/ }).waitFor();
  await page.getByTestId('response-times').getByRole('img', { name: /To acceptance/ }).waitFor();
  await page.getByTestId('trends').getByRole('img', { name: /^Month by month/ }).waitFor();
  await page.getByTestId('plan-goals').getByRole('row', { name: /^Housing 6 0 0$/ }).waitFor();
  await page.getByTestId('plan-care').getByRole('img', { name: /Participants with goals: <5/ }).waitFor();
  await page.getByTestId('conferences').getByRole('img', { name: /Conferences held: <5/ }).waitFor();
  await fits(page, 'the dashboard');
  await axe(page, 'dashboard (phone)');

  // The same figures as a file.
  const [download] = await Promise.all([page.waitForEvent('download'), funnel.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
  assert.match(csv, /^key,label,referrals\r\n/);
  assert.match(csv, /withdrawn,withdrawn,<5\r\n/);
  console.log('dashboard on a phone: ok');

  // A month holding fewer than five referrals is refused, and says why.
  const month = process.env.HARBOUR_LONELY_MONTH;
  await page.getByLabel('From', { exact: true }).fill(month);
  await page.getByLabel('To', { exact: true }).fill(month);
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await funnel.getByRole('alert').filter({ hasText: 'Fewer than 5 referrals match' }).waitFor();
  console.log('narrow period refused: ok');

  // French.
  await page.getByRole('button', { name: 'Afficher en français' }).click();
  await page.getByRole('heading', { name: 'Tableau de bord', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Services par besoin et région' }).waitFor();
  await page.getByRole('button', { name: 'Show in English' }).click();

  // From a cell of the gap map to the directory's listings of that need and region.
  const coverage = page.getByTestId('coverage');
  await coverage.getByText('Table view').click();
  await coverage.getByRole('button', { name: /^Housing & shelter \/ Halifax: 1 / }).click();
  await page.getByRole('heading', { name: 'Find a service' }).waitFor();
  await page.getByText('Youth shelter').waitFor();
  // The region's name shows once the list of regions has arrived (it may come after the results).
  await page.waitForFunction(() => document.getElementById('region')?.value !== '', null, { timeout: 10000 });
  assert.notEqual(await page.getByLabel('Region', { exact: true }).inputValue(), '', 'the region filter is set');
  console.log('gap map drill-down: ok');

  // The coordinator confirms the listing is current, from its page.
  await page.getByRole('button', { name: /Youth shelter/ }).click();
  await page.getByText('not been confirmed by the partnership yet').waitFor();
  await page.getByRole('button', { name: 'Confirm this listing is current' }).click();
  await page.getByText(/Listing confirmed current by the partnership on \d{4}-\d{2}-\d{2}/).waitFor();
  await axe(page, 'service page (coordinator)');
  await context.close();
  console.log('listing confirmed: ok');

  // On a laptop: two columns, the gap map readable.
  const laptop = await signedIn(email, password, { viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });
  await openDashboard(laptop.page);
  const left = await laptop.page.getByTestId('funnel').boundingBox();
  const right = await laptop.page.getByTestId('trends').boundingBox();
  assert.ok(Math.abs(left.y - right.y) < 2 && right.x > left.x + left.width - 1, 'two panels side by side');
  await axe(laptop.page, 'dashboard (laptop)');
  await laptop.context.close();
  console.log('dashboard on a laptop: ok');
} finally {
  await browser.close();
}
