// Case conferences in Debian's Chromium at 360×740, on phones set to Halifax's clock: the
// outreach worker who holds the participant convenes a conference with the organization
// their consent names, writes the agenda and the participant's own voice, gives that
// organization an action item, then records the conference held and who came; an intake
// worker of the invited organization finds it under "Conferences", marks the action done,
// and cannot change the rest. Every screen fits 360 px and passes axe, in English and
// French; nothing about the participant is left in the browser's storage. Run by
// tests/tests/api/browser.rs.
import assert from 'node:assert/strict';
import { axe, browser, fits, signedIn } from './phone.mjs';

const password = process.env.HARBOUR_PASSWORD;
const invited = process.env.HARBOUR_INVITED_NAME;
const halifax = { timezoneId: 'America/Halifax' };

/** Nothing about the participant is kept in the browser. */
async function keepsNothing(page, where) {
  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
  assert.equal(stored, 0, `nothing kept in the browser's storage (${where})`);
  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls.filter((u) => u.startsWith('/api/v1/participants') || u.startsWith('/api/v1/conferences'));
  });
  assert.deepEqual(cached, [], `no conference or participant answer cached (${where})`);
}

try {
  const convener = await signedIn(process.env.HARBOUR_EMAIL, password, halifax);
  let page = convener.page;
  await page.getByRole('button', { name: 'Participants', exact: true }).click();
  await page.getByRole('button', { name: /Ash/ }).click();
  await page.getByRole('heading', { name: 'Ash' }).waitFor();
  await page.getByRole('button', { name: 'Conferences', exact: true }).last().click();
  await page.getByRole('heading', { name: 'Case conferences' }).waitFor();
  await page.getByText('No case conference yet.').waitFor();
  await page.getByLabel('When').fill('2027-01-20T14:00');
  await page.getByLabel('How long, in minutes').fill('90');
  await page.getByLabel('Where partners meet').fill('TESS office, second floor');
  await page.getByLabel(invited).check();
  await page.getByRole('button', { name: 'Add an agenda item' }).click();
  await page.getByLabel('Item', { exact: true }).fill('Housing options');
  await page.getByLabel('Notes').fill('Two rooms are open in February.');
  await page.getByLabel('Do they come?').selectOption('does_not_attend');
  await page.getByLabel('What they want said, in their words').fill('I want to stay near my sister.');
  await fits(page, 'the convening form');
  await axe(page, 'convening form');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Case conference — Ash' }).waitFor();
  await page.getByText('Wed 2027-01-20 14:00 · 90 minutes · Scheduled').waitFor();
  await page.getByText('I want to stay near my sister.').waitFor();
  assert.ok(!page.url().includes('Ash'), 'no participant data in the URL');
  console.log('conference convened: ok');

  await page.getByLabel('What is to be done').fill('Hold a room for February');
  await page.getByLabel('Who takes it').selectOption({ label: invited });
  await page.getByLabel('By', { exact: true }).fill('2027-01-27');
  await page.getByRole('button', { name: 'Add the action item' }).click();
  await page.getByText('Hold a room for February').waitFor();
  await page.getByText(`${invited} · By 2027-01-27 · To do`).waitFor();
  await page.getByText('Change the conference').click();
  await page.getByLabel('Where the conference stands').selectOption('held');
  await page.getByLabel(`Did they come? — ${invited}`).selectOption('attended');
  await page.getByLabel('Decisions, one per line').fill('Ask for the February room');
  await fits(page, 'the conference being changed');
  await axe(page, 'conference form');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Wed 2027-01-20 14:00 · 90 minutes · Held').waitFor();
  await page.getByText(`${invited} · Came`).waitFor();
  await page.getByText('Ask for the February room').waitFor();
  await fits(page, 'the conference');
  await axe(page, 'conference (convener)');
  await keepsNothing(page, 'convener');
  await convener.context.close();
  console.log('conference held: ok');

  const guest = await signedIn(process.env.HARBOUR_GUEST_EMAIL, password, halifax);
  page = guest.page;
  await page.getByRole('button', { name: 'Conferences', exact: true }).click();
  await page.getByRole('heading', { name: 'Case conferences' }).waitFor();
  await page.getByRole('heading', { name: 'Held, past or called off' }).waitFor();
  await axe(page, 'conference list');
  await page.getByRole('button', { name: 'Ash — Wed 2027-01-20 14:00' }).click();
  await page.getByRole('heading', { name: 'Case conference — Ash' }).waitFor();
  assert.equal(await page.getByText('Change the conference').count(), 0, 'only the convener changes the conference');
  assert.equal(await page.getByLabel('What is to be done').count(), 0, 'only the convener gives action items');
  await page.getByLabel('Where the action item stands').selectOption('done');
  await page.getByText(/· Done \(\d{4}-\d{2}-\d{2}\)/).waitFor();
  await fits(page, 'the conference (invited)');
  await axe(page, 'conference (invited)');
  await page.getByRole('button', { name: 'Français' }).click();
  await page.getByRole('heading', { name: 'Conférence de cas — Ash' }).waitFor();
  await page.getByText('mer. 2027-01-20 14:00 · 90 minutes · Tenue').waitFor();
  await axe(page, 'conference in French');
  await keepsNothing(page, 'invited');
  await guest.context.close();
  console.log('action done by the invited organization: ok');
} finally {
  await browser.close();
}
