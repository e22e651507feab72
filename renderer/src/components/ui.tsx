// Small building blocks every screen uses, so labels, hints, errors and busy states behave the same everywhere.
import { useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type RefObject, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

type ButtonVariant = 'primary' | 'secondary' | 'quiet' | 'danger';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  /** While true the button ignores presses, says what is happening, and keeps keyboard focus. */
  busy?: boolean;
  busyLabel?: string;
  ref?: RefObject<HTMLButtonElement | null>;
}

export function Button({ variant = 'secondary', busy = false, busyLabel, className, children, onClick, type = 'button', ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      className={['btn', `btn-${variant}`, busy ? 'is-busy' : '', className ?? ''].filter(Boolean).join(' ')}
      aria-disabled={busy || rest['aria-disabled'] ? true : undefined}
      onClick={(event) => {
        if (busy) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    >
      {busy ? (
        <>
          <span className="spinner" aria-hidden="true" />
          {busyLabel ?? children}
        </>
      ) : (
        children
      )}
    </button>
  );
}

/** An error in plain words, announced as soon as it appears, placed next to what caused it. */
export function ErrorMessage({ children, id, className }: { children: ReactNode; id?: string; className?: string }) {
  if (!children) return null;
  return (
    <div role="alert" id={id} className={['message', 'message-error', className ?? ''].filter(Boolean).join(' ')}>
      <span className="message-icon" aria-hidden="true">!</span>
      <div className="message-body">{children}</div>
    </div>
  );
}

/** A quiet confirmation that stays where the user is looking (status, not alert). */
export function SuccessMessage({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="message message-success">
      {children ? (
        <>
          <span className="message-icon" aria-hidden="true">✓</span>
          <div className="message-body">{children}</div>
        </>
      ) : null}
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'warning' }) {
  return (
    <div className={`message message-${tone}`}>
      <span className="message-icon" aria-hidden="true">{tone === 'warning' ? '!' : 'i'}</span>
      <div className="message-body">{children}</div>
    </div>
  );
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  /** An error about this field: shown under it and linked to it for screen readers. */
  error?: string | null;
  inputRef?: RefObject<HTMLInputElement | null>;
  after?: ReactNode;
  /** Extra ids to add to aria-describedby (e.g. a strength meter). */
  describedBy?: string;
}

export function TextField({ label, hint, error, inputRef, after, describedBy, className, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const described = [hintId, describedBy, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'has-error' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <input id={id} ref={inputRef} className="input" aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {after}
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          <span className="field-error-icon" aria-hidden="true">!</span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Moves keyboard focus to the element once, when the screen that owns it appears. */
export function useAutoFocus<T extends HTMLElement>(ref: RefObject<T | null>, when: unknown = true): void {
  useEffect(() => {
    if (when) ref.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [when]);
}

/** A heading that receives focus when its screen opens, so screen readers announce where the user is. */
export function PageHeading({ children, description }: { children: ReactNode; description?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useAutoFocus(ref);
  return (
    <div className="page-heading">
      <h1 ref={ref} tabIndex={-1}>
        {children}
      </h1>
      {description ? <p className="lead">{description}</p> : null}
    </div>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: string }[];
  /** Shown first with an empty value (e.g. "Choose…"), when the field may be left unset. */
  placeholder?: string;
}

/** A labelled native select (keyboard and screen-reader behaviour come from the platform). */
export function SelectField({ label, hint, options, placeholder, className, ...select }: SelectFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={['field', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <select id={id} className="input select" aria-describedby={hintId} {...select}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
}

export function TextAreaField({ label, hint, className, ...textarea }: TextAreaFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={['field', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <textarea id={id} className="input textarea-prose" aria-describedby={hintId} {...textarea} />
    </div>
  );
}

/** A checkbox with its label, in the app's style (for lists of options inside a fieldset). */
export function CheckboxField({ label, className, ...input }: Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'> & { label: ReactNode }) {
  const id = useId();
  return (
    <div className={['check', className ?? ''].filter(Boolean).join(' ')}>
      <input id={id} type="checkbox" {...input} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/**
 * The scrolling box around a wide table. When the table is wider than the box (narrow windows, 200% zoom) the box
 * joins the tab order, named after the table, so keyboard users can scroll it; otherwise it adds no tab stop.
 */
export function TableWrap({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const measure = () => setScrolls(box.scrollWidth > box.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={ref}
      className={['table-wrap', className ?? ''].filter(Boolean).join(' ')}
      {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': `${label} (scrolls sideways)` } : {})}
    >
      {children}
    </div>
  );
}
