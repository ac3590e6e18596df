import { Component, type ErrorInfo, type ReactNode } from 'react';
import { t } from '../../src/i18n';
import { errorSummary } from '../format';

interface Props {
  children: ReactNode;
  /** When this changes (another connection or event selected), the pane tries to render again. */
  resetKey?: unknown;
}

interface State {
  error: unknown;
  componentStack: string;
  resetKey: unknown;
}

/**
 * Keeps a render error inside one pane: the pane shows what failed, with the stack, and the rest of
 * the panel goes on working. Without it React unmounts the whole panel and leaves it blank.
 */
export class PaneErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, componentStack: '', resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error ?? 'error' };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.resetKey
      ? null
      : { error: null, componentStack: '', resetKey: props.resetKey };
  }

  override componentDidCatch(_error: unknown, info: ErrorInfo): void {
    this.setState({ componentStack: info.componentStack ?? '' });
  }

  override render(): ReactNode {
    const { error, componentStack } = this.state;
    if (error === null) return this.props.children;
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    return (
      <div className="pane-error" role="alert">
        <p>{t('panelViewFailed', errorSummary(error))}</p>
        <details>
          <summary>{t('panelViewFailedDetails')}</summary>
          <pre className="data">{`${stack}\n${componentStack}`.trim()}</pre>
        </details>
        <button type="button" onClick={() => this.setState({ error: null, componentStack: '' })}>
          {t('panelViewRetry')}
        </button>
      </div>
    );
  }
}
