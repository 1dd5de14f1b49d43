import { useEffect, useRef } from 'preact/hooks';
import { BrokerChoice } from './BrokerChoice';
import { BrokerKeysForm } from './BrokerKeysForm';
import { RiskLimitsView } from './RiskLimitsView';

/** A native modal dialog: focus is trapped, Escape closes it, focus returns to the opener. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.showModal();
    return () => opener?.focus();
  }, []);
  return (
    <dialog ref={ref} class="settings" aria-labelledby="settings-title" onClose={onClose}>
      <header>
        <h2 id="settings-title">Settings</h2>
        <button class="icon" type="button" aria-label="Close settings" onClick={() => ref.current?.close()}>
          ×
        </button>
      </header>
      <div class="settings-body">
        <BrokerChoice />
        <BrokerKeysForm />
        <RiskLimitsView />
      </div>
    </dialog>
  );
}
