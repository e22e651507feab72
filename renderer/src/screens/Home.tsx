// The open profile: a header saying who is signed in (with their fingerprint) and a Lock button, a sidebar
// with the parts of the app, and the part that is open.
import { useRef, useState } from 'react';
import { ROLE_LABELS, type ProfileSummary } from '../../../shared/domain/profile';
import { call, messageOf } from '../api';
import { BrandMark } from '../components/BrandMark';
import { Fingerprint } from '../components/Fingerprint';
import { Button } from '../components/ui';
import { useApp, type View } from '../store';
import { AddressBook } from './AddressBook';
import { CaseBuilder } from './CaseBuilder';
import { Cases } from './Cases';
import { CaseView } from './CaseView';
import { CentralOffice } from './CentralOffice';
import { DecisionWorkspace } from './DecisionWorkspace';
import { Drafts } from './Drafts';
import { Settings } from './Settings';

const NAV: { view: View; label: string; icon: string }[] = [
  { view: 'cases', label: 'Cases', icon: 'M4 6h16v12H4zM4 10h16M9 6V4h6v2' },
  // Not "Prepare cases": every nav label must stay distinct from "Cases" even as a substring.
  { view: 'prepare', label: 'Prepare bundles', icon: 'M7 3h7l4 4v14H7zM14 3v4h4M10 12h5M10 16h5' },
  { view: 'contacts', label: 'Address book', icon: 'M6 4h12v16H6zM10 9a2 2 0 1 0 4 0a2 2 0 1 0-4 0M8.5 16a3.5 3.5 0 0 1 7 0' },
  { view: 'settings', label: 'Settings', icon: 'M4 7h10M18 7h2M4 17h4M12 17h8M14 5v4M8 15v4' },
];
/** Shown to central-office profiles only, after "Cases". */
const OFFICE_NAV: { view: View; label: string; icon: string } = { view: 'office', label: 'Central office', icon: 'M4 20h16M6 20V10M10 20V10M14 20V10M18 20V10M3 10l9-6 9 6z' };

export function Home({ profile }: { profile: ProfileSummary }) {
  const view = useApp((state) => state.view);
  const openCaseId = useApp((state) => state.openCaseId);
  const decisionOpen = useApp((state) => state.decisionOpen);
  const openDraftId = useApp((state) => state.openDraftId);
  const navigate = useApp((state) => state.navigate);
  const setSession = useApp((state) => state.setSession);
  const [locking, setLocking] = useState(false);
  const [lockError, setLockError] = useState<string | null>(null);
  const mainRef = useRef<HTMLElement>(null);

  async function lock() {
    if (locking) return;
    setLocking(true);
    setLockError(null);
    try {
      setSession(await call('vault.lock', {}));
    } catch (error) {
      setLockError(messageOf(error));
      setLocking(false);
    }
  }

  return (
    <div className="app">
      <a
        href="#main-content"
        className="skip-link"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to main content
      </a>
      <header className="topbar">
        <div className="brand">
          <BrandMark />
          <span className="brand-name">Hearing Desk</span>
        </div>
        <div className="topbar-user">
          <div className="who">
            <span className="who-name">{profile.name}</span>
            <span className="who-meta">
              <span className="who-role">{ROLE_LABELS[profile.role]}</span>
              <span className="who-dot" aria-hidden="true">·</span>
              <Fingerprint value={profile.fingerprint} size="small" label="Your fingerprint" />
            </span>
          </div>
          <Button onClick={lock} busy={locking} busyLabel="Locking…" className="lock-button">
            <svg className="btn-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
              <rect x="5" y="10.5" width="14" height="10" rx="2" />
              <path d="M8 10.5V8a4 4 0 0 1 8 0v2.5" />
            </svg>
            Lock
          </Button>
        </div>
      </header>
      {lockError ? (
        <div className="topbar-alert">
          <div role="alert" className="message message-error">
            <span className="message-icon" aria-hidden="true">!</span>
            <div className="message-body">{lockError}</div>
          </div>
        </div>
      ) : null}
      <div className="layout">
        <nav className="sidebar" aria-label="Main">
          <ul>
            {(profile.role === 'central-office' ? [NAV[0]!, OFFICE_NAV, ...NAV.slice(1)] : NAV).map((item) => (
              <li key={item.view}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={view === item.view ? 'page' : undefined}
                  onClick={() => navigate(item.view)}
                >
                  <svg className="nav-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                    <path d={item.icon} />
                  </svg>
                  {item.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main-content" ref={mainRef} className="content" tabIndex={-1}>
          {view === 'cases' ? (
            openCaseId ? (
              decisionOpen ? <DecisionWorkspace key={`decision-${openCaseId}`} caseId={openCaseId} /> : <CaseView key={`case-${openCaseId}`} caseId={openCaseId} />
            ) : (
              <Cases key="cases" />
            )
          ) : view === 'prepare' ? (
            openDraftId ? <CaseBuilder key={`draft-${openDraftId}`} draftId={openDraftId} /> : <Drafts key="drafts" />
          ) : view === 'office' && profile.role === 'central-office' ? (
            <CentralOffice key="office" />
          ) : view === 'contacts' ? (
            <AddressBook key="contacts" />
          ) : (
            <Settings key="settings" />
          )}
        </main>
      </div>
    </div>
  );
}
