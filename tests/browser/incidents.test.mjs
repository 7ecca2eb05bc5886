// incidents.test.mjs — the whole incident path in the browser: an
// employee reports with an attachment and gets a reference; a handler
// triages, marks it significant, sees the clocks, opens the early
// warning draft, marks it sent and closes the incident; the employee
// sees the outcome and the handler's message; a second employee cannot
// see the report.  Screenshots go to $SCREENSHOT_DIR.
//
// Run: VAKSAM=build/vaksam node --test --test-reporter=tap tests/browser/
import assert from 'node:assert/strict';
import { test, base, newPage, shot, login } from './fixture.mjs';

// A small valid PNG (1x1) for the attachment.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex');

function nowLocal(minutesAgo) {
  // Swedish local time for <input type=datetime-local>.
  const d = new Date(Date.now() - minutesAgo * 60000);
  const s = d.toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' });
  return s.slice(0, 16).replace(' ', 'T');
}

test('report → triage → significant → clocks → early warning sent → closed', async () => {
  // The employee reports, first with a mistake and a wrong file type.
  const anna = await newPage();
  await login(anna, 'anna.andersson');
  await anna.waitForURL(base + '/');
  await anna.goto(base + '/incidents');
  await anna.getByRole('link', { name: 'Anmäl en incident eller en sårbarhet' }).click();
  await anna.waitForURL(base + '/incidents/new');
  await anna.getByLabel('Kort sammanfattning').fill('Mejl som ber om BankID ' + 'x'.repeat(200));
  await anna.getByLabel('Vad hände?').fill('Jag klickade på länken i ett mejl från "IT-supporten".');
  await anna.getByLabel('När upptäckte du det? (svensk tid)').fill(nowLocal(30));
  await anna.getByLabel('Berörs personuppgifter?').selectOption('yes');
  await anna.getByLabel(/^Bilagor/).setInputFiles([
    { name: 'program.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') }]);
  await anna.getByLabel('Vilket system eller vilken enhet?').fill('E-post');
  await shot(anna, '20-incident-form');
  await anna.getByRole('button', { name: 'Skicka anmälan' }).click();

  await anna.locator('#e-title').waitFor();
  assert.match(await anna.locator('#e-title').innerText(), /för lång/);
  assert.match(await anna.locator('#e-attachment').innerText(), /program\.exe/);
  // Everything typed is still there.
  assert.match(await anna.getByLabel('Kort sammanfattning').inputValue(), /^Mejl som ber om BankID x+$/);
  assert.match(await anna.getByLabel('Vad hände?').inputValue(), /IT-supporten/);
  assert.equal(await anna.getByLabel('Berörs personuppgifter?').inputValue(), 'yes');
  await shot(anna, '21-incident-form-errors');
  await anna.getByLabel('Kort sammanfattning').fill('Mejl som ber om BankID');
  await anna.getByLabel(/^Bilagor/).setInputFiles([
    { name: 'skärmbild.png', mimeType: 'image/png', buffer: PNG }]);
  await anna.getByRole('button', { name: 'Skicka anmälan' }).click();
  await anna.locator('#reference').waitFor();
  const ref = await anna.locator('#reference').innerText();
  assert.match(ref, /^VK-\d{4}-\d{4}$/);
  await shot(anna, '22-incident-receipt');
  await anna.getByRole('link', { name: 'Se din anmälan' }).click();
  const reportUrl = anna.url();
  assert.match(reportUrl, /\/incidents\/\d+$/);
  assert.equal(await anna.locator('#state').innerText(), 'Ny');

  // A handler triages it from the inbox.
  const cec = await newPage();
  await login(cec, 'cecilia.carlsson');
  await cec.waitForURL(base + '/');
  await cec.goto(base + '/incidents');
  await shot(cec, '23-incident-inbox');
  await cec.getByRole('link', { name: ref }).first().click();
  await cec.waitForURL(reportUrl);
  assert.equal(await cec.locator('#attachments a').innerText(), 'skärmbild.png');
  await cec.locator('#to-triaged').click();
  await cec.waitForURL(/done=1/);
  assert.equal(await cec.locator('#state').innerText(), 'Bedömd');
  // Marks it significant: the clocks appear with time left.
  await cec.getByLabel('Allvarlighetsgrad', { exact: true }).selectOption('high');
  await cec.getByLabel('Kategori', { exact: true }).selectOption('phishing');
  await cec.locator('#f-significant').check();
  await cec.locator('#save-assessment').click();
  await cec.waitForURL(/done=1/);
  await cec.locator('#clock-early_warning').waitFor();
  const ew = await cec.locator('#clock-early_warning').innerText();
  assert.match(ew, /Tidig varning/);
  assert.match(ew, /2[23] h \d+ min kvar/);
  assert.match(await cec.locator('#clock-notification').innerText(), /kvar/);
  assert.match(await cec.locator('#clock-gdpr').innerText(), /kvar/);
  await shot(cec, '24-incident-clocks');
  // The early warning draft, printable.
  await cec.locator('#clock-early_warning').getByRole('link', { name: 'Utkast' }).click();
  await cec.locator('#draft').waitFor();
  const draft = await cec.locator('#draft').innerText();
  assert.match(draft, new RegExp(ref));
  assert.match(draft, /Misstänkt olaglig eller avsiktligt skadlig orsak/);
  assert.match(draft, /CERT-SE/);
  await shot(cec, '25-incident-draft-early-warning');
  await cec.goBack();
  await cec.locator('#sent-early_warning').click();
  await cec.waitForURL(/done=sent/);
  assert.match(await cec.locator('#clock-early_warning').innerText(), /Skickad/);
  // A message to the reporter, then on to closed.
  await cec.getByLabel('Anteckning till gruppen').fill('Tack! Vi har spärrat länken och bytt ditt lösenord.');
  await cec.locator('#f-to_reporter').check();
  await cec.locator('#add-note').click();
  await cec.waitForURL(/done=1/);
  // Evidence from the handler: a wrong file is explained in Swedish, a
  // log excerpt is listed with the attachments.
  await cec.locator('#f-evidence').setInputFiles([
    { name: 'bild.png', mimeType: 'image/png', buffer: Buffer.from('<html>') }]);
  await cec.locator('#add-evidence').click();
  await cec.locator('#e-evidence').waitFor();
  assert.match(await cec.locator('#e-evidence').innerText(), /bild\.png: innehållet är inte en png-fil/);
  await cec.locator('#f-evidence').setInputFiles([
    { name: 'brandvägg.log', mimeType: 'text/plain', buffer: Buffer.from('DROP src=203.0.113.7\n') }]);
  await cec.locator('#add-evidence').click();
  await cec.waitForURL(/done=1/);
  assert.match(await cec.locator('#attachments').innerText(), /brandvägg\.log/);
  await shot(cec, '25b-incident-evidence');
  for (const to of ['investigating', 'contained', 'recovered', 'closed']) {
    await cec.locator('#to-' + to).click();
    await cec.waitForURL(/done=1/);
  }
  assert.equal(await cec.locator('#state').innerText(), 'Avslutad');
  await shot(cec, '26-incident-closed');
  assert.deepEqual(cec.csp, [], 'no CSP violations for the handler');

  // The employee sees the outcome and the message, not the internals.
  await anna.goto(reportUrl);
  assert.equal(await anna.locator('#state').innerText(), 'Avslutad');
  const tl = await anna.locator('#timeline').innerText();
  assert.match(tl, /Vi har spärrat länken/);
  assert.equal(await anna.locator('#clocks').count(), 0);
  await shot(anna, '27-incident-reporter-outcome');
  assert.deepEqual(anna.csp, [], 'no CSP violations for the reporter');

  // A second employee cannot see it, neither in the list nor by URL.
  const bo = await newPage();
  await login(bo, 'bo.berg');
  await bo.waitForURL(base + '/');
  await bo.goto(base + '/incidents');
  assert.equal(await bo.getByRole('link', { name: ref }).count(), 0);
  const resp = await bo.goto(reportUrl);
  assert.equal(resp.status(), 404);
  await shot(bo, '28-incident-other-employee-404');
  for (const p of [anna, cec, bo]) await p.context().close();
});
