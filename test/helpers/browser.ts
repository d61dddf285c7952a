/**
 * Chromium for the browser suite: Debian's /usr/bin/chromium (CHROMIUM_PATH to use another) driven by
 * playwright-core, which downloads no browser of its own. Each step is named, and when one fails every open
 * page is photographed into test/browser/artifacts (ignored by git) under that step's name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/app/config.js';

export const ARTIFACTS_DIR = path.join(PROJECT_ROOT, 'test', 'browser', 'artifacts');
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Long: the machine running the suite may be busy; every wait is for a condition, never a fixed time. */
const WAIT_MS = 90_000;

export class BrowserSession {
  private readonly pages = new Map<string, Page>();
  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<BrowserSession> {
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!fs.existsSync(executablePath)) throw new Error(`No Chromium at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    return new BrowserSession(await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS }));
  }

  /** A page of its own browser context (its own sessionStorage: one signed-in person), watched for CSP violations. */
  async page(name: string): Promise<Page> {
    const context: BrowserContext = await this.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(`${name}: ${message.text()}`);
    });
    this.pages.set(name, page);
    return page;
  }

  /** Errors the pages logged (a CSP refusal of an inline script or style shows here). */
  readonly consoleErrors: string[] = [];

  /** Runs one named step; on failure photographs every page as `<step>-<page>.png` and rethrows. */
  async step<T>(name: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const slug = name.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
      for (const [pageName, page] of this.pages) {
        await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${slug}-${pageName}.png`), fullPage: true }).catch(() => undefined);
      }
      throw new Error(`step "${name}" failed (screenshots in ${path.relative(PROJECT_ROOT, ARTIFACTS_DIR)}): ${(error as Error).message}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
