import { existsSync } from 'node:fs';
import { OcxError } from '@ocx/core';

/** Where Debian installs Chromium; `OCX_CHROMIUM_PATH` overrides it. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The arguments a headless Chromium gets: no sandbox (containers), no GPU, no network chatter. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The Chromium executable to use, or undefined when none is installed there. */
export function chromiumPath(explicit?: string): string | undefined {
  const path = explicit ?? process.env.OCX_CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH;
  return existsSync(path) ? path : undefined;
}

/** The browser subset of playwright-core this package uses. */
export interface HeadlessBrowser {
  newPage(): Promise<HeadlessPage>;
  close(): Promise<void>;
}
/** The page subset of playwright-core this package uses. */
export interface HeadlessPage {
  route(url: string, handler: (route: { abort(): Promise<void> }) => Promise<void>): Promise<void>;
  setContent(html: string, options?: { waitUntil?: 'load' }): Promise<void>;
  emulateMedia(options: { media: 'print' | 'screen' }): Promise<void>;
  pdf(options: { format: string; printBackground: boolean; preferCSSPageSize?: boolean }): Promise<Uint8Array>;
  evaluate<T>(script: string): Promise<T>;
  textContent(selector: string): Promise<string | null>;
}

/**
 * Launch headless Chromium through playwright-core, loaded on demand: the package does not
 * depend on a browser, and only rendering a PDF (or a browser test) needs one.
 */
export async function launchHeadlessChromium(options: { executablePath?: string } = {}): Promise<HeadlessBrowser> {
  const executablePath = chromiumPath(options.executablePath);
  if (executablePath === undefined) {
    throw new OcxError({
      code: 'capability',
      message: `No Chromium at ${options.executablePath ?? process.env.OCX_CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH}: install it (apt-get install chromium) or pass executablePath`,
    });
  }
  let playwright: { chromium: { launch(options: object): Promise<HeadlessBrowser> } };
  try {
    const specifier = 'playwright-core';
    playwright = (await import(specifier)) as typeof playwright;
  } catch (error) {
    throw new OcxError({
      code: 'capability',
      message: 'Rendering a PDF needs the optional package playwright-core: npm install playwright-core',
      cause: error,
    });
  }
  return playwright.chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
