// The root: asks main where the session stands, follows every change it announces (a lock takes the user to
// the unlock screen at once, whatever was open), reports activity for the idle lock, and shows toasts.
import { useEffect } from 'react';
import { call, messageOf, onEvent } from './api';
import { BrandMark } from './components/BrandMark';
import { Toasts } from './components/Toasts';
import { FirstRun } from './screens/FirstRun';
import { Home } from './screens/Home';
import { Unlock } from './screens/Unlock';
import { useApp } from './store';

/** Activity is reported at most this often; the idle lock counts in minutes, so this is plenty. */
export const TOUCH_INTERVAL_MS = 30_000;

function useSessionFollower() {
  const setSession = useApp((state) => state.setSession);
  const setStartupError = useApp((state) => state.setStartupError);
  useEffect(() => {
    // Subscribe before asking, so a change between the two cannot be missed.
    const unsubscribe = onEvent('session.changed', setSession);
    call('session.status', {}).then(setSession, (error: unknown) => setStartupError(messageOf(error)));
    return unsubscribe;
  }, [setSession, setStartupError]);
}

/** Bundle files main was asked to open from outside the window's pickers (dropped, double-clicked). */
function useBundleOffers() {
  const offerBundle = useApp((state) => state.offerBundle);
  useEffect(() => onEvent('bundles.offered', offerBundle), [offerBundle]);
}

function useActivityReporter(active: boolean) {
  useEffect(() => {
    if (!active) return;
    let last = 0;
    const report = () => {
      const now = Date.now();
      if (now - last < TOUCH_INTERVAL_MS) return;
      last = now;
      call('session.touch', {}).catch(() => undefined); // a failed touch only means the lock may come sooner
    };
    window.addEventListener('keydown', report, { capture: true, passive: true });
    window.addEventListener('pointerdown', report, { capture: true, passive: true });
    return () => {
      window.removeEventListener('keydown', report, { capture: true });
      window.removeEventListener('pointerdown', report, { capture: true });
    };
  }, [active]);
}

export function App() {
  const session = useApp((state) => state.session);
  const startupError = useApp((state) => state.startupError);
  useSessionFollower();
  useBundleOffers();
  useActivityReporter(session?.state === 'unlocked');

  let screen;
  if (startupError) {
    screen = (
      <main id="main-content" className="splash" tabIndex={-1}>
        <BrandMark />
        <h1>Hearing Desk could not start</h1>
        <div role="alert" className="message message-error">
          <span className="message-icon" aria-hidden="true">!</span>
          <div className="message-body">{startupError}</div>
        </div>
      </main>
    );
  } else if (!session) {
    screen = (
      <main id="main-content" className="splash" aria-busy="true" tabIndex={-1}>
        <BrandMark />
        <p className="splash-text">Opening Hearing Desk…</p>
      </main>
    );
  } else if (session.state === 'no-profile') {
    screen = <FirstRun />;
  } else if (session.state === 'locked' || !session.profile) {
    // Keyed by reason so a new lock always starts from a fresh, empty form.
    screen = <Unlock key={session.lockedReason ?? 'startup'} reason={session.lockedReason} />;
  } else {
    screen = <Home profile={session.profile} />;
  }

  return (
    <>
      {screen}
      <Toasts />
    </>
  );
}
