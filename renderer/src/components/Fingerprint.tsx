// A fingerprint as people read it aloud: five groups of four characters, in a monospace face, with the
// hyphens kept in the text so copying gives the canonical form.
export function Fingerprint({ value, size = 'normal', label }: { value: string; size?: 'small' | 'normal' | 'large'; label?: string }) {
  const groups = value.split('-');
  return (
    <span className={`fingerprint fingerprint-${size}`} aria-label={label ? `${label}: ${groups.join(' ')}` : undefined}>
      {groups.map((group, index) => (
        <span key={index} className="fingerprint-group">
          {index > 0 ? <span className="fingerprint-sep" aria-hidden="true">-</span> : null}
          {group}
        </span>
      ))}
    </span>
  );
}
