// fixture.mjs — what every browser test file shares: a `vaksam serve
// --demo` on a free loopback port with a fresh data directory, Debian's
// chromium driven by playwright-core, and helpers to open a page, take a
// screenshot (into $SCREENSHOT_DIR, default build/screenshots) and log in
// as a demo user.  Imported by tests/browser/*.test.mjs; each test file
// runs in its own process and so gets its own server and browser.
import { test as nodeTest, before, after } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const here = new URL('.', import.meta.url).pathname;
const top = resolve(here, '..', '..');
const vaksam = process.env.VAKSAM || join(top, 'build', 'vaksam');
const shots = process.env.SCREENSHOT_DIR || join(top, 'build', 'screenshots');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

// Without `npm ci` in tests/browser the tests skip, except under CI=true.
const installed = existsSync(join(here, 'node_modules', 'playwright-core'));
export const test = installed || process.env.CI === 'true' ? nodeTest : nodeTest.skip;

let chromium;
let server, browser, tmp;
export let base;
export const passwords = {};

async function startServer() {
  tmp = mkdtempSync(join(tmpdir(), 'vaksam-browser-'));
  server = spawn(vaksam, ['serve', '--demo', '--listen', '127.0.0.1:0',
    '--data', join(tmp, 'data')], { stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = createInterface({ input: server.stdout });
  base = await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error('vaksam serve did not start')), 60000);
    lines.on('line', (line) => {
      const m = line.match(/^\s+(employee|handler|admin|auditor)\s+(\S+)\s+(\S+)$/);
      if (m) passwords[m[2]] = m[3];
      const u = line.match(/portal is at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (u) { clearTimeout(t); res(u[1]); }
    });
    server.on('exit', (code) => rej(new Error('vaksam serve exited ' + code)));
  });
}

before(async () => {
  if (!installed && process.env.CI !== 'true') return;
  ({ chromium } = await import('playwright-core'));
  mkdirSync(shots, { recursive: true });
  await startServer();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    server.kill('SIGTERM');
    await new Promise((res) => server.once('exit', res));
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

export async function newPage(opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 },
    locale: 'sv-SE', ...opts });
  const page = await ctx.newPage();
  const csp = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(m.text()); });
  page.csp = csp;
  return page;
}

export async function shot(page, name) {
  await page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
}

export async function login(page, user, password) {
  await page.goto(base + '/login');
  await page.getByLabel('Användarnamn').fill(user);
  await page.getByLabel('Lösenord').fill(password ?? passwords[user]);
  await page.getByRole('button', { name: 'Logga in' }).click();
}
