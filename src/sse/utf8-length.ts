/**
 * UTF-8 length of text the browser already decoded (XHR `responseText`), without encoding it: what
 * the body bytes were when the body was UTF-8, as every event stream is. A lone surrogate counts as
 * U+FFFD (3 bytes), as `TextEncoder` would write it.
 */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}
