// A modal dialog on the native <dialog> element: the page behind is inert, Escape closes it, Tab stays inside,
// and focus goes back to whatever opened it (or to a fallback when that is gone, e.g. a removed row).
import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** Focused when the dialog opens; otherwise the first focusable element. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Focused when the dialog closes if the element that opened it no longer exists. */
  fallbackFocus?: () => HTMLElement | null;
  /** Focused when the dialog closes whatever opened it (for dialogs opened by something other than focus, e.g. a file picker). */
  returnFocus?: () => HTMLElement | null;
  size?: 'normal' | 'wide';
  className?: string;
}

export function Dialog({ title, description, onClose, children, initialFocus, fallbackFocus, returnFocus, size = 'normal', className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  const fallbackRef = useRef(fallbackFocus);
  fallbackRef.current = fallbackFocus;
  const returnRef = useRef(returnFocus);
  returnRef.current = returnFocus;
  const unmounting = useRef(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    unmounting.current = false;
    if (!dialog.open) dialog.showModal();
    const target = initialFocus?.current ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
    target?.focus();
    return () => {
      unmounting.current = true;
      if (dialog.open) dialog.close();
      const usable = opener && opener !== document.body && opener.isConnected ? opener : null;
      const back = returnRef.current?.() ?? usable ?? fallbackRef.current?.() ?? document.querySelector<HTMLElement>('main h1');
      // After React has finished removing the dialog, so focus is not lost to the body.
      window.setTimeout(() => back?.focus(), 0);
    };
    // Opening happens once per mount; the props above are read through refs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <dialog
      ref={ref}
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      className={['dialog', `dialog-${size}`, className ?? ''].filter(Boolean).join(' ')}
      onCancel={(event) => {
        // Escape: let React decide, so the dialog and the state that shows it never disagree.
        event.preventDefault();
        closeRef.current();
      }}
      onClose={() => {
        // Chromium may close a dialog itself on a repeated Escape; follow it.
        if (!unmounting.current) closeRef.current();
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Tab') return;
        const items = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])].filter((item) => item.offsetParent !== null || item === document.activeElement);
        const first = items[0];
        const last = items[items.length - 1];
        if (!first || !last) return;
        if (event.shiftKey && document.activeElement === first) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={() => closeRef.current()}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {description ? (
        <div id={descriptionId} className="dialog-description">
          {description}
        </div>
      ) : null}
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
