// Short confirmations ("Card saved…") in one polite live region, each dismissible, none of them urgent.
import { useApp } from '../store';

export function Toasts() {
  const toasts = useApp((state) => state.toasts);
  const dismiss = useApp((state) => state.dismissToast);
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`}>
          <span className="toast-icon" aria-hidden="true">{toast.tone === 'success' ? '✓' : 'i'}</span>
          <p className="toast-message">{toast.message}</p>
          <button type="button" className="icon-button toast-close" aria-label="Dismiss notification" onClick={() => dismiss(toast.id)}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      ))}
    </div>
  );
}
