// Renderer state that outlives a single screen: the session as main reports it, which part of the app is
// open, and the short confirmations shown as toasts. Case data lives in the screens that show it, so it is
// discarded with them the moment the vault locks.
import { create } from 'zustand';
import type { BundleOffer, SessionState } from '../../shared/contract';

/** 'office': the central office's ingest and statistics (central-office profiles only). */
export type View = 'cases' | 'prepare' | 'contacts' | 'settings' | 'office';

export interface Toast {
  id: number;
  message: string;
  tone: 'success' | 'info';
}

interface AppState {
  /** null until main has answered the first status request. */
  session: SessionState | null;
  /** Set when main could not be reached at start-up. */
  startupError: string | null;
  view: View;
  /** The received case open in the case view (within 'cases'), if any. */
  openCaseId: string | null;
  /** True while the open case's decision workspace is shown instead of the case view. */
  decisionOpen: boolean;
  /** The draft open in the case builder (within 'prepare'), if any. */
  openDraftId: string | null;
  toasts: Toast[];
  /** A bundle file dropped on the window or opened from the file manager, waiting for the open dialog. */
  offeredBundle: BundleOffer | null;
  offerBundle(offer: BundleOffer | null): void;
  setSession(session: SessionState): void;
  setStartupError(message: string): void;
  navigate(view: View): void;
  openCase(id: string | null): void;
  /** Opens (true) or leaves (false) the decision workspace of the open case. */
  openDecision(open: boolean): void;
  openDraft(id: string | null): void;
  showToast(message: string, tone?: Toast['tone']): void;
  dismissToast(id: number): void;
}

let nextToastId = 1;
const TOAST_MS = 7000;

export const useApp = create<AppState>()((set, get) => ({
  session: null,
  startupError: null,
  view: 'cases',
  openCaseId: null,
  decisionOpen: false,
  openDraftId: null,
  toasts: [],
  offeredBundle: null,
  offerBundle(offer) {
    // The open dialog lives on the case list: go there, out of whatever case or draft was open.
    set(offer ? { offeredBundle: offer, view: 'cases', openCaseId: null, decisionOpen: false, openDraftId: null } : { offeredBundle: null });
  },
  setSession(session) {
    if (session.state !== 'unlocked') {
      // Locked or no profile: forget everything that described the open vault. Toasts can name files and
      // people, so they go too; the next unlock starts from the case list.
      set({ session, view: 'cases', openCaseId: null, decisionOpen: false, openDraftId: null, toasts: [], offeredBundle: null, startupError: null });
    } else {
      set({ session, startupError: null });
    }
  },
  setStartupError(message) {
    set({ startupError: message });
  },
  navigate(view) {
    // The sidebar always leads to the top of a part of the app (the list, not the case last open).
    set({ view, openCaseId: null, decisionOpen: false, openDraftId: null });
  },
  openCase(id) {
    set({ view: 'cases', openCaseId: id, decisionOpen: false });
  },
  openDecision(open) {
    set({ decisionOpen: open && get().openCaseId !== null });
  },
  openDraft(id) {
    set({ view: 'prepare', openDraftId: id });
  },
  showToast(message, tone = 'success') {
    const id = nextToastId++;
    set({ toasts: [...get().toasts, { id, message, tone }].slice(-3) });
    window.setTimeout(() => get().dismissToast(id), TOAST_MS);
  },
  dismissToast(id) {
    set({ toasts: get().toasts.filter((toast) => toast.id !== id) });
  },
}));

export const useProfile = () => useApp((state) => (state.session?.state === 'unlocked' ? state.session.profile : null));
