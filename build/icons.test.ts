import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION_ICONS } from '../extension/icons/action-icons';
import manifest from '../manifest.json' with { type: 'json' };
import { ICON_SOURCE, iconRenderings, renderIcon } from './icons';
import { pngSize } from './png';

const svg = readFileSync(ICON_SOURCE, 'utf8');

/** The RGBA pixels of a PNG, decoded by resvg (as an <image> drawn at its own size). */
async function pixels(png: Uint8Array): Promise<{ width: number; data: Uint8Array }> {
  const { Resvg } = await import('@resvg/resvg-js');
  const size = pngSize(png);
  if (!size) throw new Error('not a PNG');
  const wrapper = `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}"><image width="${size.width}" height="${size.height}" href="data:image/png;base64,${Buffer.from(png).toString('base64')}"/></svg>`;
  const image = new Resvg(wrapper).render();
  return { width: image.width, data: image.pixels };
}

describe('extension icons', () => {
  it('renders every icon the manifest names, and the dimmed toolbar icon, at its own size', () => {
    const renderings = iconRenderings(manifest);
    expect(renderings.map((r) => `${r.path}@${r.size}${r.dimmed ? ' dimmed' : ''}`).sort()).toEqual([
      'icons/icon-128.png@128',
      'icons/icon-16.png@16',
      'icons/icon-32.png@32',
      'icons/icon-48.png@48',
      'icons/icon-off-16.png@16 dimmed',
      'icons/icon-off-32.png@32 dimmed',
    ]);
    for (const rendering of renderings) {
      expect(pngSize(renderIcon(svg, rendering)), rendering.path).toEqual({
        width: rendering.size,
        height: rendering.size,
      });
    }
  });

  it('the toolbar icon the service worker restores is the one the manifest declares', () => {
    expect(manifest.action.default_icon).toEqual(ACTION_ICONS.on);
    // action-icon.ts sends nothing for a tab whose look is the manifest's: capture on, this title.
    expect(manifest.action.default_title).toBe('__MSG_actionTitleOn__');
  });

  it('the 128 px icon keeps a 16 px transparent margin (store guidelines); 16 px uses the whole square', async () => {
    const alphaAt = (image: { width: number; data: Uint8Array }, x: number, y: number) =>
      image.data[(y * image.width + x) * 4 + 3];
    const large = await pixels(renderIcon(svg, { path: 'l.png', size: 128, dimmed: false }));
    for (const [x, y] of [
      [15, 64],
      [64, 15],
      [112, 64],
      [64, 112],
    ] as const) {
      expect(alphaAt(large, x, y), `(${x}, ${y})`).toBe(0);
    }
    expect(alphaAt(large, 16, 64)).toBe(255);
    expect(alphaAt(large, 111, 64)).toBe(255);
    const small = await pixels(renderIcon(svg, { path: 's.png', size: 16, dimmed: false }));
    expect(alphaAt(small, 0, 8)).toBe(255);
    expect(alphaAt(small, 15, 8)).toBe(255);
  });

  it('the dimmed variant is grey and faint', async () => {
    const on = await pixels(renderIcon(svg, { path: 'on.png', size: 16, dimmed: false }));
    const off = await pixels(renderIcon(svg, { path: 'off.png', size: 16, dimmed: true }));
    // The tile's middle left edge: teal when on; equal channels (grey) and about half opaque when off.
    const at = (image: typeof on) => [...image.data.subarray((8 * 16 + 1) * 4, (8 * 16 + 1) * 4 + 4)];
    const [r, g, , a] = at(on);
    expect(g).toBeGreaterThan((r ?? 0) + 50);
    expect(a).toBe(255);
    const [or, og, ob, oa] = at(off);
    expect(Math.max(Math.abs((or ?? 0) - (og ?? 0)), Math.abs((og ?? 0) - (ob ?? 0)))).toBeLessThanOrEqual(2);
    expect(oa).toBeGreaterThan(90);
    expect(oa).toBeLessThan(140);
  });

  it('refuses a manifest naming one file for two sizes', () => {
    expect(() => iconRenderings({ icons: { '16': 'icons/a.png', '32': 'icons/a.png' } })).toThrow(
      /16 px and for 32 px/,
    );
  });
});
