// The app's mark: a simple seal, drawn inline so no file or font has to load.
export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
      <rect x="3" y="3" width="26" height="26" rx="6" className="brand-mark-bg" />
      <path d="M10 9v14M22 9v14M10 16h12" className="brand-mark-fg" />
    </svg>
  );
}
