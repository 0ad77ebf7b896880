import * as fs from 'fs';
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';

export const chromiumPath = process.env.CODENAV_CHROMIUM ?? '/usr/bin/chromium';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface WorkbenchHooks {
  /** The workbench's automation log (its own log lines, including the extension host's). */
  onLog?(type: string, message: string): void;
  /** Called by the workbench when the extension tests finish, with their exit code. */
  onExit?(code: number): void;
}

export interface Workbench {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

function describe(args: unknown): string {
  const list = Array.isArray(args) ? args : [args];
  return list.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}

/** Launches headless Chromium and opens the workbench at `url`. */
export async function openWorkbench(url: string, hooks: WorkbenchHooks = {}): Promise<Workbench> {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => hooks.onLog?.(type, describe(args)));
    await page.exposeFunction('codeAutomationExit', (code: number) => hooks.onExit?.(code));
    await page.goto(url);
    return {
      browser,
      page,
      close: async () => {
        await browser.close().catch(() => undefined);
      },
    };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}

/** Screenshots the workbench once the side bar and the panel have rendered (or after a short wait for them). */
export async function screenshotWorkbench(page: Page, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const selector of ['.part.sidebar .pane-body', '.part.panel .markers-panel']) {
    await page.waitForSelector(selector, { state: 'visible', timeout: 10_000 }).catch(() => undefined);
  }
  await page.screenshot({ path: file });
}
