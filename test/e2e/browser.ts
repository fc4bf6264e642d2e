import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (scripts/setup/chromium.sh); nothing here ever downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where screenshots go (gitignored test output). */
export const SCREENSHOTS = join(process.cwd(), 'test-output', 'screenshots');

/** One person's browser: its own Chromium with an empty profile directory. */
export interface PersonBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<PersonBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'docket-e2e-chromium-'));
  await mkdir(SCREENSHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in at docket's login page, playing the person at the provider's own sign-in and consent pages. */
export async function signIn(page: Page, docketUrl: string, account: string): Promise<void> {
  await page.goto(`${docketUrl}/`);
  await page.getByRole('link', { name: 'Sign in with your identity provider' }).click();
  for (let step = 0; step < 6 && !page.url().startsWith(docketUrl); step++) {
    await page.waitForLoadState('domcontentloaded');
    const login = page.locator('input[name="login"]');
    if ((await login.count()) > 0) {
      await login.fill(account);
      await page.locator('input[name="password"]').fill('not-checked-by-dev-interactions');
    }
    await Promise.all([page.waitForNavigation(), page.locator('button[type="submit"]').first().click()]);
  }
  await page.waitForURL(`${docketUrl}/inbox`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
