import { useEffect, useRef, useState } from 'react';
import { t } from '../../src/i18n';
import { copyText } from '../clipboard';

/** A short "Copied" next to a copy button, so the user sees the click did something. */
export function useCopyFeedback(): [string | null, (text: string) => void] {
  const [feedback, setFeedback] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = (text: string) => {
    void copyText(text).then((ok) => {
      setFeedback(ok ? t('panelCopied') : t('panelCopyFailed'));
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setFeedback(null), 1500);
    });
  };
  return [feedback, copy];
}
