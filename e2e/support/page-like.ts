import type { Page as PuppeteerPage } from 'puppeteer-core';

/**
 * What page-side test code needs of a page, so that the same code drives Chromium (a Playwright
 * `Page` fits as it is) and Firefox (a puppeteer-core `Page`, through `fromPuppeteer`).
 */
export interface PageLike {
  goto(url: string): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

/** A puppeteer-core page as a `PageLike`: its `evaluate` takes the same function and argument. */
export function fromPuppeteer(page: PuppeteerPage): PageLike {
  return {
    goto: (url) => page.goto(url),
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) => page.evaluate(fn as never, arg) as Promise<R>,
  };
}
