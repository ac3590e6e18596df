/**
 * The extension's version has one source, package.json: the build writes it into the manifest, and
 * `npm run package` names the zip after it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * What Chrome accepts as a manifest `version`: one to four dot-separated integers from 0 to 65535,
 * without leading zeros (https://developer.chrome.com/docs/extensions/reference/manifest/version).
 * A semver pre-release such as `1.2.0-beta.1` is not one.
 */
export function isChromeVersion(version: string): boolean {
  const parts = version.split('.');
  return (
    parts.length >= 1 &&
    parts.length <= 4 &&
    parts.every((part) => /^(0|[1-9]\d{0,4})$/.test(part) && Number(part) <= 65535)
  );
}

/** package.json's version, checked to be one Chrome accepts. */
export function packageVersion(root = process.cwd()): string {
  const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  if (typeof version !== 'string' || !isChromeVersion(version)) {
    throw new Error(
      `package.json's version ${JSON.stringify(version)} is not a Chrome extension version ` +
        '(one to four dot-separated integers, such as 1.2.0)',
    );
  }
  return version;
}

/** `manifest` with package.json's version written in. */
export function withPackageVersion<Manifest extends object>(
  manifest: Manifest,
): Manifest & { version: string } {
  return { ...manifest, version: packageVersion() };
}
