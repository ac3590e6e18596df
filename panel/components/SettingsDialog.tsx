import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { type MessageKey, t } from '../../src/i18n';
import { DEFAULT_PANEL_LIMITS, PANEL_LIMIT_RANGES, type PanelLimits } from '../../src/limits';
import { formatCount } from '../format';
import { isLimitInRange } from '../panel-limits';
import { usePanelStore } from '../store';

/** How each limit is shown: total memory in MB (decimal, as sizes elsewhere in the panel), the rest as is. */
const FIELDS: { key: keyof PanelLimits; label: MessageKey; unit: number }[] = [
  { key: 'maxEventChars', label: 'panelSettingsEventChars', unit: 1 },
  { key: 'maxRecordsPerConnection', label: 'panelSettingsRecords', unit: 1 },
  { key: 'maxTotalBytes', label: 'panelSettingsTotalMegabytes', unit: 1_000_000 },
];

type Draft = Record<keyof PanelLimits, string>;

const draftOf = (limits: PanelLimits): Draft =>
  Object.fromEntries(FIELDS.map(({ key, unit }) => [key, String(limits[key] / unit)])) as Draft;

/** The value a field's text stands for, or null when it is not a whole number in range. */
function parseField(key: keyof PanelLimits, text: string, unit: number): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const value = Number(text) * unit;
  return isLimitInRange(key, value) ? value : null;
}

/**
 * Settings (the toolbar's gear): the panel's limits on what live capture may hold. A modal
 * `<dialog>`, so the keyboard works as anywhere (Tab within it, Escape closes, focus returns).
 */
export function SettingsDialog() {
  const open = usePanelStore((s) => s.settingsOpen);
  const limits = usePanelStore((s) => s.limits);
  const setLimits = usePanelStore((s) => s.setLimits);
  const setOpen = usePanelStore((s) => s.setSettingsOpen);
  const dialog = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<Draft>(() => draftOf(limits));
  const id = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setDraft(draftOf(usePanelStore.getState().limits));
      element.showModal();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  const values = FIELDS.map(({ key, unit }) => parseField(key, draft[key], unit));
  const valid = values.every((v) => v !== null);

  function save(event: FormEvent) {
    event.preventDefault();
    if (!valid) return;
    const next = { ...limits };
    FIELDS.forEach(({ key }, i) => {
      next[key] = values[i] as number;
    });
    setLimits(next);
    setOpen(false);
  }

  return (
    <dialog
      ref={dialog}
      className="settings-dialog"
      aria-labelledby={`${id}-title`}
      onClose={() => setOpen(false)}
    >
      <form onSubmit={save}>
        <h2 id={`${id}-title`}>{t('panelSettingsTitle')}</h2>
        <p className="hint">{t('panelSettingsIntro')}</p>
        {FIELDS.map(({ key, label, unit }, i) => {
          const { min, max } = PANEL_LIMIT_RANGES[key];
          const range = t('panelSettingsRange', formatCount(min / unit), formatCount(max / unit));
          return (
            <label key={key} className="setting">
              <span className="setting-label">{t(label)}</span>
              <input
                type="number"
                inputMode="numeric"
                min={min / unit}
                max={max / unit}
                step={1}
                value={draft[key]}
                aria-invalid={values[i] === null}
                aria-describedby={`${id}-${key}`}
                onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
              />
              <span
                id={`${id}-${key}`}
                className={values[i] === null ? 'setting-range invalid' : 'setting-range'}
              >
                {range}
              </span>
            </label>
          );
        })}
        <p className="hint">{t('panelSettingsApplies')}</p>
        <div className="dialog-buttons">
          <button type="button" onClick={() => setDraft(draftOf(DEFAULT_PANEL_LIMITS))}>
            {t('panelSettingsDefaults')}
          </button>
          <span className="spacer" />
          <button type="button" onClick={() => setOpen(false)}>
            {t('panelSettingsCancel')}
          </button>
          <button type="submit" className="primary" disabled={!valid}>
            {t('panelSettingsSave')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
