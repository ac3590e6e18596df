import { type ReactNode, useEffect, useState } from 'react';
import { t } from '../../src/i18n';
import {
  FAULT_STATUSES,
  type FaultStatus,
  type Override,
  type OverrideFault,
  type OverrideFaultKind,
  type OverrideMatchMode,
  REPLAY_SPEEDS,
  withFault,
  withoutFault,
} from '../../src/override';
import { formatCount, splitUrl } from '../format';
import { changeOverride, removeOverride, useOverrides } from '../overrides';

const MATCH_MODES: { value: OverrideMatchMode; label: Parameters<typeof t>[0] }[] = [
  { value: 'exact', label: 'overrideMatchExact' },
  { value: 'ignore-query', label: 'overrideMatchIgnoreQuery' },
  { value: 'pattern', label: 'overrideMatchPattern' },
];

/** The default of each fault when it is ticked on. */
const FAULT_DEFAULTS: Record<OverrideFaultKind, OverrideFault> = {
  cut: { kind: 'cut', afterEvent: 1, as: 'network-error' },
  'drop-end-marker': { kind: 'drop-end-marker' },
  stall: { kind: 'stall', beforeEvent: 1, seconds: 5 },
  status: {
    kind: 'status',
    status: 429,
    retryAfter: 30,
    body: '{"error":{"type":"rate_limit_error","message":"Rate limit reached. Try again later."}}',
  },
  edit: { kind: 'edit', event: 1, data: '' },
};

function faultSummary(fault: OverrideFault): string {
  switch (fault.kind) {
    case 'cut':
      return t('faultSummaryCut', String(fault.afterEvent));
    case 'drop-end-marker':
      return t('faultSummaryDrop');
    case 'stall':
      return t('faultSummaryStall', String(fault.seconds), String(fault.beforeEvent));
    case 'status':
      return t('faultSummaryStatus', String(fault.status));
    case 'edit':
      return t('faultSummaryEdit', String(fault.event));
  }
}

/** A text or number field that shows what the user types and commits each change. */
function Field({
  label,
  value,
  onCommit,
  type = 'text',
  min,
  multiline,
  shown,
}: {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  type?: 'text' | 'number';
  min?: number;
  multiline?: boolean;
  /** Show the label before the field (otherwise the text before it says what it is). */
  shown?: boolean;
}) {
  const [draft, setDraft] = useState(value);
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (!focused) setDraft(value);
  }, [value, focused]);
  const common = {
    'aria-label': label,
    value: draft,
    spellCheck: false,
    onFocus: () => setFocused(true),
    onBlur: () => setFocused(false),
    onChange: (event: { target: { value: string } }) => {
      setDraft(event.target.value);
      onCommit(event.target.value);
    },
  };
  const field = multiline ? <textarea rows={2} {...common} /> : <input type={type} min={min} {...common} />;
  return shown ? (
    <span className="field">
      <span aria-hidden="true">{label}</span>
      {field}
    </span>
  ) : (
    field
  );
}

const count = (text: string, min = 0) => {
  const n = Math.floor(Number(text));
  return Number.isFinite(n) && n >= min ? n : min;
};

/** One fault: a checkbox that adds or removes it, and its settings while it is on. */
function FaultRow({
  override,
  kind,
  label,
  children,
}: {
  override: Override;
  kind: OverrideFaultKind;
  label: string;
  children?: (fault: OverrideFault, set: (fault: OverrideFault) => void) => ReactNode;
}) {
  const fault = override.faults.find((f) => f.kind === kind);
  const set = (next: OverrideFault) =>
    void changeOverride(override.id, { faults: withFault(override.faults, next) });
  return (
    <div className={fault ? 'fault on' : 'fault'}>
      <label className="check">
        <input
          type="checkbox"
          checked={!!fault}
          onChange={(e) =>
            void changeOverride(override.id, {
              faults: e.target.checked
                ? withFault(override.faults, FAULT_DEFAULTS[kind])
                : withoutFault(override.faults, kind),
            })
          }
        />
        {label}
      </label>
      {fault && children?.(fault, set)}
    </div>
  );
}

function FaultEditor({ override }: { override: Override }) {
  return (
    <fieldset className="fault-editor">
      <legend className="visually-hidden">{t('overrideFaults')}</legend>
      <FaultRow override={override} kind="cut" label={t('faultCut')}>
        {(fault, set) =>
          fault.kind === 'cut' && (
            <>
              <Field
                label={t('faultCut')}
                type="number"
                min={0}
                value={String(fault.afterEvent)}
                onCommit={(v) => set({ ...fault, afterEvent: count(v) })}
              />
              <select
                aria-label={t('faultCutAs')}
                value={fault.as}
                onChange={(e) => set({ ...fault, as: e.target.value as typeof fault.as })}
              >
                <option value="network-error">{t('faultCutNetworkError')}</option>
                <option value="clean-end">{t('faultCutCleanEnd')}</option>
              </select>
            </>
          )
        }
      </FaultRow>
      <FaultRow override={override} kind="drop-end-marker" label={t('faultDropEndMarker')} />
      <FaultRow override={override} kind="stall" label={t('faultStall')}>
        {(fault, set) =>
          fault.kind === 'stall' && (
            <>
              <Field
                label={t('faultStall')}
                type="number"
                min={1}
                value={String(fault.beforeEvent)}
                onCommit={(v) => set({ ...fault, beforeEvent: count(v, 1) })}
              />
              <Field
                label={t('faultStallSeconds')}
                shown
                type="number"
                min={0}
                value={String(fault.seconds)}
                onCommit={(v) => set({ ...fault, seconds: Math.max(0, Number(v) || 0) })}
              />
            </>
          )
        }
      </FaultRow>
      <FaultRow override={override} kind="status" label={t('faultStatus')}>
        {(fault, set) =>
          fault.kind === 'status' && (
            <>
              <select
                aria-label={t('faultStatusCode')}
                value={fault.status}
                onChange={(e) => set({ ...fault, status: Number(e.target.value) as FaultStatus })}
              >
                {FAULT_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {status}
                  </option>
                ))}
              </select>
              {fault.status === 429 && (
                <Field
                  label={t('faultRetryAfter')}
                  shown
                  type="number"
                  min={0}
                  value={String(fault.retryAfter)}
                  onCommit={(v) => set({ ...fault, retryAfter: count(v) })}
                />
              )}
              <Field
                label={t('faultBody')}
                shown
                multiline
                value={fault.body}
                onCommit={(v) => set({ ...fault, body: v })}
              />
            </>
          )
        }
      </FaultRow>
      <FaultRow override={override} kind="edit" label={t('faultEdit')}>
        {(fault, set) =>
          fault.kind === 'edit' && (
            <>
              <Field
                label={t('faultEdit')}
                type="number"
                min={1}
                value={String(fault.event)}
                onCommit={(v) => set({ ...fault, event: count(v, 1) })}
              />
              <Field
                label={t('faultEditData')}
                shown
                multiline
                value={fault.data}
                onCommit={(v) => set({ ...fault, data: v })}
              />
            </>
          )
        }
      </FaultRow>
    </fieldset>
  );
}

function OverrideRow({ override }: { override: Override }) {
  const [editing, setEditing] = useState(false);
  const pending = useOverrides((s) => s.pending.has(override.id));
  const { match } = override;
  const { origin, path } = splitUrl(match.url);
  const faults = override.faults.map(faultSummary).join(', ') || t('overrideFaultsNone');
  return (
    <li
      className={override.enabled ? 'override' : 'override off'}
      data-override-id={override.id}
      aria-busy={pending}
    >
      <div className="override-main">
        <label className="check enabled" title={t('overrideEnabled')}>
          <input
            type="checkbox"
            checked={override.enabled}
            aria-label={t('overrideEnabled')}
            onChange={(e) => void changeOverride(override.id, { enabled: e.target.checked })}
          />
        </label>
        <span className="override-request" title={match.url}>
          <span className="method">{match.method}</span> <span className="path">{path}</span>{' '}
          <span className="origin">{origin}</span>
        </span>
        <select
          aria-label={t('overrideMatch')}
          value={match.mode}
          onChange={(e) =>
            void changeOverride(override.id, {
              match: { ...match, mode: e.target.value as OverrideMatchMode },
            })
          }
        >
          {MATCH_MODES.map((mode) => (
            <option key={mode.value} value={mode.value}>
              {t(mode.label)}
            </option>
          ))}
        </select>
        <select
          aria-label={t('overrideSpeed')}
          value={override.timing.speed === null ? 'once' : String(override.timing.speed)}
          onChange={(e) =>
            void changeOverride(override.id, {
              timing: { speed: e.target.value === 'once' ? null : Number(e.target.value) },
            })
          }
        >
          {REPLAY_SPEEDS.map((speed) => (
            <option key={speed} value={String(speed)}>
              {speed}×
            </option>
          ))}
          <option value="once">{t('overrideSpeedAtOnce')}</option>
        </select>
        <button
          type="button"
          className="faults-toggle"
          aria-expanded={editing}
          title={t('overrideEditFaults')}
          onClick={() => setEditing(!editing)}
        >
          {t('overrideFaults')}: {faults}
        </button>
        <span className="served" title={t('overrideServed')}>
          {t('overrideServed')}{' '}
          <output aria-label={t('overrideServed')}>{formatCount(override.served)}</output>
        </span>
        <label className="check" title={t('overridePinTitle', override.origin)}>
          <input
            type="checkbox"
            checked={override.pinned}
            onChange={(e) => void changeOverride(override.id, { pinned: e.target.checked })}
          />
          {t('overridePin')}
        </label>
        <button
          type="button"
          className="icon close"
          aria-label={t('overrideRemove')}
          title={t('overrideRemove')}
          onClick={() => void removeOverride(override.id)}
        >
          ×
        </button>
      </div>
      {match.mode === 'pattern' && (
        <div className="override-pattern">
          <Field
            label={t('overridePattern')}
            value={match.pattern}
            onCommit={(pattern) => void changeOverride(override.id, { match: { ...match, pattern } })}
          />
        </div>
      )}
      {editing && <FaultEditor override={override} />}
    </li>
  );
}

/** The inspected tab's overrides, each with its match, pace, faults, served count and switches. */
export function OverridesPane() {
  const overrides = useOverrides((s) => s.overrides);
  const open = useOverrides((s) => s.open);
  const setOpen = useOverrides((s) => s.setOpen);
  if (!open || overrides.length === 0) return null;
  return (
    <section className="overrides-pane" aria-label={t('overridesLabel')}>
      <header>
        <h2>{t('overridesLabel')}</h2>
        <span className="hint">{t('overridesHint')}</span>
        <span className="spacer" />
        <button
          type="button"
          className="icon close"
          aria-label={t('overridesClose')}
          title={t('overridesClose')}
          onClick={() => setOpen(false)}
        >
          ×
        </button>
      </header>
      <ul className="overrides">
        {overrides.map((override) => (
          <OverrideRow key={override.id} override={override} />
        ))}
      </ul>
    </section>
  );
}

/** The toolbar's switch for the list: shown once the tab has overrides. */
export function OverridesButton() {
  const count = useOverrides((s) => s.overrides.length);
  const open = useOverrides((s) => s.open);
  const setOpen = useOverrides((s) => s.setOpen);
  if (count === 0) return null;
  return (
    <button
      type="button"
      aria-pressed={open}
      title={t('overridesButtonTitle')}
      onClick={() => setOpen(!open)}
    >
      {t('overridesButton', formatCount(count))}
    </button>
  );
}
