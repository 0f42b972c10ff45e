/**
 * Page object of the pages that explain why something cannot be shown (components/ui/error-notice.tsx):
 * a region named by its heading, the status it states, and the way back.
 */
import type { Locator, Page, Response } from '@playwright/test';

export class ErrorPage {
  readonly heading: Locator;
  readonly backLink: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.backLink = page.getByRole('link', { name: '← All client environments' });
  }

  /** Open `target` exactly as given (percent-escapes and all); resolves with the document's response. */
  async goto(target: string): Promise<Response | null> {
    const response = await this.page.goto(target);
    await this.heading.waitFor();
    return response;
  }

  /** The notice titled `title`. */
  notice(title: string): Locator {
    return this.page.getByRole('region', { name: title });
  }

  /** The status the notice titled `title` states, e.g. "400". */
  statedStatus(title: string, status: number): Locator {
    return this.notice(title).getByText(String(status), { exact: true });
  }
}
