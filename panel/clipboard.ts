/**
 * Copies text. `navigator.clipboard` is refused inside the DevTools panel's frame (no
 * `clipboard-write` permission policy is delegated to extension panels), so fall back to the
 * selection-based `execCommand('copy')`, which DevTools' own panels use too.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } finally {
      area.remove();
    }
  }
}
