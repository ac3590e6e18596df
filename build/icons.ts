/**
 * The extension's icons, rendered at build time from one SVG source (extension/icons/icon.svg) with
 * resvg: every PNG the manifest names (`icons`, `action.default_icon`) and the dimmed toolbar variant
 * the service worker shows where capture is off. Nothing is downloaded or drawn at run time.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { Plugin } from 'vite';
import { ACTION_ICONS } from '../extension/icons/action-icons.ts';

export const ICON_SOURCE = 'extension/icons/icon.svg';

/** The manifest's fields that name icons: pixel size (as a string key) → path. */
export interface IconFields {
  icons?: Record<string, string>;
  action?: { default_icon?: Record<string, string> | string };
}

/** One PNG to render. */
export interface IconRendering {
  path: string;
  size: number;
  dimmed: boolean;
}

/**
 * The store's 128 px icon is 96 px of artwork with 16 px of transparent margin on each side (Chrome
 * Web Store image guidelines); smaller icons use their whole square, which keeps 16 px readable.
 */
const STORE_ICON_SIZE = 128;
const STORE_ICON_MARGIN = 16 / 128;

/** The PNGs to render for `manifest`: its own icons, and the dimmed toolbar variant. */
export function iconRenderings(manifest: IconFields): IconRendering[] {
  const named: [string, string][] = [
    ...Object.entries(manifest.icons ?? {}),
    ...Object.entries(typeof manifest.action?.default_icon === 'object' ? manifest.action.default_icon : {}),
  ];
  const byPath = new Map<string, IconRendering>();
  const add = (size: string | number, path: string, dimmed: boolean) => {
    const pixels = Number(size);
    if (!Number.isInteger(pixels) || pixels <= 0)
      throw new Error(`icon ${path}: size "${size}" is not a number`);
    const earlier = byPath.get(path);
    if (earlier && (earlier.size !== pixels || earlier.dimmed !== dimmed)) {
      throw new Error(`icon ${path} is named for ${earlier.size} px and for ${pixels} px`);
    }
    byPath.set(path, { path, size: pixels, dimmed });
  };
  for (const [size, path] of named) add(size, path, false);
  for (const [size, path] of Object.entries(ACTION_ICONS.off)) add(size, path, true);
  return [...byPath.values()];
}

/** `svg` with its viewBox widened so that the artwork keeps `margin` (a fraction of the side) clear. */
function withMargin(svg: string, margin: number): string {
  return svg.replace(/viewBox="([^"]+)"/, (_, box: string) => {
    const [x = 0, y = 0, width = 0, height = 0] = box
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    const grow = margin / (1 - 2 * margin);
    const dx = width * grow;
    const dy = height * grow;
    return `viewBox="${x - dx} ${y - dy} ${width + 2 * dx} ${height + 2 * dy}"`;
  });
}

/** `svg` drawn grey and faint, as Chrome draws an action that does nothing on the page. */
function dimmed(svg: string): string {
  return svg
    .replace(
      /<svg\b[^>]*>/,
      (open) =>
        `${open}<filter id="sse-dimmed"><feColorMatrix type="saturate" values="0"/></filter>` +
        '<g filter="url(#sse-dimmed)" opacity="0.45">',
    )
    .replace(/<\/svg>\s*$/, '</g></svg>');
}

/** One PNG of `svg` at `rendering.size` pixels square. */
export function renderIcon(svg: string, rendering: IconRendering): Uint8Array {
  let source = rendering.dimmed ? dimmed(svg) : svg;
  if (rendering.size === STORE_ICON_SIZE) source = withMargin(source, STORE_ICON_MARGIN);
  const png = new Resvg(source, { fitTo: { mode: 'width', value: rendering.size } }).render();
  if (png.width !== rendering.size || png.height !== rendering.size) {
    throw new Error(
      `${ICON_SOURCE} is not square: rendered ${png.width}×${png.height} for ${rendering.path}`,
    );
  }
  return png.asPng();
}

/** Emits the icons of `manifest` into the build, before crxjs looks for the files the manifest names. */
export function extensionIcons(manifest: IconFields): Plugin {
  return {
    name: 'sse-devtools-icons',
    buildStart() {
      const file = resolve(ICON_SOURCE);
      this.addWatchFile(file);
      const svg = readFileSync(file, 'utf8');
      for (const rendering of iconRenderings(manifest)) {
        this.emitFile({ type: 'asset', fileName: rendering.path, source: renderIcon(svg, rendering) });
      }
    },
  };
}
