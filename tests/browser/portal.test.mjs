// portal.test.mjs — what a person does in the portal, in Debian's
// chromium driven by playwright-core: log in, a wrong password,
// throttling, a role refused, the language switch, logging out, a form
// with a forged CSRF token; a screenshot of each page goes to
// $SCREENSHOT_DIR (default build/screenshots) for a person to look at.
//
// Run: VAKSAM=build/vaksam node --test --test-reporter=tap tests/browser/
import assert from 'node:assert/strict';
import { test, base, newPage, shot, login } from './fixture.mjs';

test('login page, then a wrong password is refused', async () => {
  const page = await newPage();
  await page.goto(base + '/login');
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
  assert.equal(await page.title(), 'Logga in – Exempelkommun');
  await shot(page, '01-login');
  await login(page, 'anna.andersson', 'definitely wrong');
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /Fel användarnamn eller lösenord/);
  assert.equal(page.url(), base + '/login');
  await shot(page, '02-login-wrong-password');
  assert.deepEqual(page.csp, [], 'no CSP violations');
  await page.context().close();
});

test('employee logs in, sees the dashboard, is refused /users', async () => {
  const page = await newPage();
  await login(page, 'anna.andersson');
  await page.waitForURL(base + '/');
  await page.getByRole('heading', { name: 'Översikt', level: 1 }).waitFor();
  const nav = await page.getByRole('navigation', { name: 'Huvudmeny' }).innerText();
  assert.match(nav, /Incidenter/);
  assert.doesNotMatch(nav, /Användare|Granskningslogg|Inställningar/);
  await shot(page, '03-dashboard-employee');
  const resp = await page.goto(base + '/users');
  assert.equal(resp.status(), 403);
  assert.match(await page.getByRole('alert').innerText(), /Din roll får inte göra detta/);
  await shot(page, '04-forbidden-users');
  // Keyboard: the first Tab reaches the skip link.
  await page.goto(base + '/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  await shot(page, '05-skip-link-focused');
  await page.context().close();
});

test('admin pages: users, audit log, settings, a part to come', async () => {
  const page = await newPage();
  await login(page, 'eva.ek');
  await page.waitForURL(base + '/');
  await shot(page, '06-dashboard-admin');
  await page.getByRole('link', { name: 'Användare' }).first().click();
  await page.getByRole('heading', { name: 'Användare', level: 1 }).waitFor();
  await page.getByLabel('Användarnamn').fill('jonna.jansson');
  await page.getByLabel('Namn', { exact: true }).fill('<b>Jonna</b> & co');
  await page.locator('#f-role').selectOption('handler');
  await page.getByRole('button', { name: 'Lägg till användare' }).click();
  await page.getByRole('status').first().waitFor();
  assert.match(await page.content(), /&lt;b&gt;Jonna&lt;\/b&gt; &amp; co/);
  await shot(page, '07-users-added');
  await page.goto(base + '/audit');
  await page.getByRole('heading', { name: 'Granskningslogg' }).waitFor();
  assert.match(await page.locator('table').innerText(), /user\.create/);
  await shot(page, '08-audit');
  await page.goto(base + '/settings');
  await page.getByLabel('Organisationens namn').fill('Exempelkommun');
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.getByText('Inställningarna sparades.').waitFor();
  await shot(page, '09-settings');
  await page.goto(base + '/hunt');
  await page.getByText(/Kommer snart/).first().waitFor();
  await shot(page, '10-coming-soon');
  assert.deepEqual(page.csp, [], 'no CSP violations');
  await page.context().close();
});

test('a form with a forged CSRF token is refused', async () => {
  const page = await newPage();
  await login(page, 'eva.ek');
  await page.waitForURL(base + '/');
  await page.goto(base + '/settings');
  await page.locator('main input[name=csrf]').evaluate((el) => { el.value = 'forged'; });
  await page.getByLabel('Organisationens namn').fill('Hacked');
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /Formuläret har gått ut/);
  await shot(page, '11-csrf-refused');
  await page.goto(base + '/settings');
  assert.equal(await page.getByLabel('Organisationens namn').inputValue(), 'Exempelkommun');
  await page.context().close();
});

test('language switch is remembered per user; logout ends the session', async () => {
  const page = await newPage();
  await login(page, 'fredrik.falk');
  await page.waitForURL(base + '/');
  await page.goto(base + '/profile');
  await shot(page, '12-profile');
  await page.getByLabel('Portalens språk').selectOption('en');
  await page.getByRole('button', { name: 'Spara språk' }).click();
  await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await shot(page, '13-profile-english');
  // Log out, log in again in a fresh browser: still English.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(base + '/login');
  const back = await page.goto(base + '/audit');
  assert.equal(new URL(back.url()).pathname, '/login');
  await page.context().close();
  const again = await newPage();
  await login(again, 'fredrik.falk');
  await again.waitForURL(base + '/');
  await again.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  await shot(again, '14-dashboard-auditor-english');
  await again.context().close();
});

test('anonymous language switch on the login page', async () => {
  const page = await newPage();
  await page.goto(base + '/login');
  await page.getByRole('button', { name: 'In English' }).click();
  await page.getByRole('heading', { name: 'Log in', level: 1 }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await shot(page, '15-login-english');
  await page.context().close();
});

test('throttling after repeated wrong passwords', async () => {
  const page = await newPage();
  let text = '';
  for (let i = 0; i < 6; i++) {
    await login(page, 'bo.berg', 'wrong password ' + i);
    await page.getByRole('alert').waitFor();
    text = await page.getByRole('alert').innerText();
  }
  assert.match(text, /För många misslyckade försök/);
  // Even the right password is refused while throttled.
  await login(page, 'bo.berg');
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /För många/);
  await shot(page, '16-throttled');
  await page.context().close();
});

test('narrow screen: the dashboard reflows', async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 } });
  await login(page, 'cecilia.carlsson');
  await page.waitForURL(base + '/');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(overflow, false, 'no horizontal scrolling at 390 px');
  await shot(page, '17-dashboard-mobile');
  await page.context().close();
});
