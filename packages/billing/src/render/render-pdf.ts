import { launchHeadlessChromium } from './headless-chromium.js';

/**
 * Print an HTML bill to PDF (A4) in headless Chromium. Needs the optional `playwright-core`
 * package and a Chromium executable (Debian's `chromium`, or `executablePath`). Every network
 * request is refused: the bill is self-contained, and a PDF must not fetch anything.
 *
 * @example
 * ```ts
 * await writeFile('bill.pdf', await renderPdf(renderHtmlBill(summary, { issuer: 'MOC Exchange' })));
 * ```
 */
export async function renderPdf(html: string, options: { executablePath?: string } = {}): Promise<Uint8Array> {
  const browser = await launchHeadlessChromium(options);
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
