// The frame around the screens shown before a profile is open (first run, unlock): the app's name, one
// centred panel, and nothing else that could distract.
import type { ReactNode } from 'react';
import { BrandMark } from './BrandMark';

export function AuthFrame({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return (
    <div className="auth">
      <header className="auth-header">
        <div className="brand">
          <BrandMark />
          <span className="brand-name">Hearing Desk</span>
        </div>
      </header>
      <main id="main-content" className={wide ? 'auth-main auth-main-wide' : 'auth-main'} tabIndex={-1}>
        <div className="panel auth-panel">{children}</div>
      </main>
      <footer className="auth-footer">
        <p>Works entirely on this computer. Nothing you enter is sent anywhere.</p>
      </footer>
    </div>
  );
}
