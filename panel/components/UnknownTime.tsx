import { t } from '../../src/i18n';

/**
 * Shown where a read time would be, for a connection imported from a file that holds its body but
 * not when each part was read (a HAR): unknown, never a time made up.
 */
export function UnknownTime() {
  return (
    <span className="muted time-unknown" title={t('panelTimeUnknownTitle')}>
      {t('panelTimeUnknown')}
    </span>
  );
}
