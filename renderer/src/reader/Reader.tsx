// The evidence reader: the bundle index at the side, the open document's pages in the middle (only those near the
// viewport are drawn), search and annotations on the right. Every annotation change is saved through the contract
// at once; undo and redo replay the inverse change. The last place in each case (document, page, zoom) is kept by
// main until the vault is locked (never in localStorage: a page label and document can be case material).
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { AnchoredAnnotationView, AnnotationVersionView, AnnotationView, AudienceMemberView, CaseDetail, SearchResultsView } from '../../../shared/contract';
import type { AnnotationContent, AnnotationVisibility, PdfRect } from '../../../shared/domain/annotation';
import { describeTextSelection } from '../../../electron/services/annotations/anchor';
import { call, messageOf } from '../api';
import { Dialog } from '../components/Dialog';
import { Button, ErrorMessage } from '../components/ui';
import { formatMoment, labelRange, plural, roleLabel } from '../format';
import { useApp } from '../store';
import { bytesFromBase64, openPdf } from './pdf';
import { findLabel, pageLabel } from './labels';
import { PdfPage, spanOffsets, type AreaMark, type TextMark } from './PdfPage';
import { Thumbnails } from './Thumbnails';
import './reader.css';

type BundleDoc = CaseDetail['documents'][number];
type Zoom = 'fit-width' | 'fit-page' | 'actual';
type SaveState = { state: 'idle' | 'saving' | 'saved' } | { state: 'error'; message: string };
interface UndoEntry {
  label: string;
  undo(): Promise<AnnotationView>;
  redo(): Promise<AnnotationView>;
}

const PAGE_GAP = 16;
/** Pages drawn beyond the visible ones, above and below. */
const OVERSCAN_PAGES = 2;

/** How long the reader waits after the last move before telling main where the user is. */
const PLACE_SAVE_DELAY_MS = 400;

export const VISIBILITY_NAMES: Record<AnnotationVisibility, string> = { private: 'Private', panel: 'Panel', 'legal-advice': 'Legal advice' };

const VISIBILITY_QUESTIONS: Record<AnnotationVisibility, string> = {
  private: 'Make this annotation private?',
  panel: 'Share this annotation with the panel?',
  'legal-advice': 'Mark this annotation as legal advice?',
};
const VISIBILITY_CONFIRMATIONS: Record<AnnotationVisibility, string> = {
  private: 'Make it private',
  panel: 'Share with the panel',
  'legal-advice': 'Mark as legal advice',
};

const SHORTCUTS: [string, string][] = [
  ['J or ↓ / K or ↑', 'Next / previous page'],
  ['] / [', 'Next / previous document'],
  ['G', 'Go to a page by its bundle label (e.g. B12)'],
  ['W / F / 0', 'Fit width / fit page / 100%'],
  ['R', 'Rotate the pages by 90°'],
  ['/', 'Search the bundle'],
  ['H', 'Highlight the selected text'],
  ['A', 'Draw an area highlight (drag a rectangle)'],
  ['N', 'Note on this page'],
  ['P', 'Presentation mode: hide private notes and legal advice'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'Undo / redo an annotation change'],
  ['?', 'This list'],
];

/** Splits a snippet on the search service's hit markers: never parsed as HTML. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/([\u0002][^\u0003]*[\u0003])/u);
  return (
    <>
      {parts.map((part, index) =>
        part.startsWith('\u0002') ? <mark key={index}>{part.slice(1, -1)}</mark> : <span key={index}>{part}</span>,
      )}
    </>
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function Reader({ detail, initialDocumentId, onClose }: { detail: CaseDetail; initialDocumentId: string; onClose(): void }) {
  const caseId = detail.summary.id;
  const documents = detail.documents;
  const me = useApp((state) => (state.session?.state === 'unlocked' ? state.session.profile : null));
  const [documentId, setDocumentId] = useState(initialDocumentId);
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [pageTexts, setPageTexts] = useState<string[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [indexReady, setIndexReady] = useState(false);
  const [indexNote, setIndexNote] = useState<string | null>(null);
  const [indexing, setIndexing] = useState(true);
  const [baseSize, setBaseSize] = useState<{ width: number; height: number } | null>(null);
  const [zoom, setZoom] = useState<Zoom>('fit-width');
  const [rotation, setRotation] = useState(0);
  const [viewportSize, setViewportSize] = useState({ width: 600, height: 600 });
  const [scrollTop, setScrollTop] = useState(0);
  const [pendingPage, setPendingPage] = useState<number>(1);
  /** Until main has said where the user was, the reader does not record a place (it would overwrite it with page 1). */
  const [placeKnown, setPlaceKnown] = useState(false);
  const [goTo, setGoTo] = useState('');
  const [goToError, setGoToError] = useState<string | null>(null);
  const [panel, setPanel] = useState<'search' | 'annotations'>('search');
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SearchResultsView | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [hitTerms, setHitTerms] = useState<SearchResultsView['terms']>([]);
  const [annotations, setAnnotations] = useState<AnchoredAnnotationView[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [filters, setFilters] = useState({ author: '', visibility: '', allegation: '', tag: '', document: '' });
  const [presenting, setPresenting] = useState(false);
  const [drawingArea, setDrawingArea] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [pageNoteOpen, setPageNoteOpen] = useState(false);
  const [saveState, setSaveState] = useState<SaveState>({ state: 'idle' });
  const [actionError, setActionError] = useState<string | null>(null);
  const [packMessage, setPackMessage] = useState<string | null>(null);
  const [jsonLdConfirm, setJsonLdConfirm] = useState(false);
  const [historyOf, setHistoryOf] = useState<AnnotationView | null>(null);
  const [visibilityChange, setVisibilityChange] = useState<{ annotation: AnnotationView; to: AnnotationVisibility; audience: AudienceMemberView[] } | null>(null);
  const undoStack = useRef<UndoEntry[]>([]);
  const redoStack = useRef<UndoEntry[]>([]);
  const [, setHistoryTick] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const goToRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  /** The first open of a case extracts its text into the index; searches wait for it rather than miss pages. */
  const indexRun = useRef<Promise<unknown>>(Promise.resolve());
  const [searching, setSearching] = useState(false);

  const doc = documents.find((d) => d.id === documentId) ?? documents[0]!;
  const docIndex = documents.indexOf(doc);
  const pageCount = pdf?.numPages ?? doc.pageCount;
  const isLawyer = me?.role === 'external-lawyer';

  // --- loading ------------------------------------------------------------------------------------------
  useEffect(() => {
    let live = true;
    const opening = call('reader.open', { caseId });
    indexRun.current = opening;
    setIndexing(true);
    opening.then(
      (status) => {
        if (!live) return;
        setIndexing(false);
        setIndexNote(status.unreadable > 0 ? `${plural(status.unreadable, 'document')} could not be read for search.` : null);
        setIndexReady(true);
        refreshAnnotations();
      },
      (error: unknown) => {
        if (!live) return;
        setIndexing(false);
        setIndexNote(messageOf(error));
      },
    );
    // Where this user was in the case: the page (and zoom) come back when it is the document being opened.
    call('reader.place', { caseId }).then(
      (place) => {
        if (!live) return;
        if (place && place.documentId === initialDocumentId) {
          lastPage.current = place.page;
          setPendingPage(place.page);
          setZoom(place.zoom);
        }
        setPlaceKnown(true);
      },
      () => live && setPlaceKnown(true),
    );
    return () => {
      live = false;
    };
    // Once per case: the index covers every document.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [caseId]);

  useEffect(() => {
    let live = true;
    let opened: PDFDocumentProxy | null = null;
    setPdf(null);
    setBaseSize(null);
    setLoadError(null);
    setPageTexts(null);
    (async () => {
      const { base64 } = await call('reader.document', { caseId, documentId });
      if (!live) return;
      opened = await openPdf(bytesFromBase64(base64));
      if (!live) {
        await opened.destroy();
        return;
      }
      const first = await opened.getPage(1);
      const size = first.getViewport({ scale: 1, rotation: 0 });
      setBaseSize({ width: size.width, height: size.height });
      setPdf(opened);
    })().catch((error: unknown) => live && setLoadError(messageOf(error)));
    return () => {
      live = false;
      void opened?.destroy();
    };
  }, [caseId, documentId]);

  // The page texts annotation offsets count in, once the index holds them.
  useEffect(() => {
    if (!indexReady) return;
    let live = true;
    call('reader.pageTexts', { caseId, documentId }).then((texts) => live && setPageTexts(texts), () => undefined);
    return () => {
      live = false;
    };
  }, [caseId, documentId, indexReady]);

  const refreshAnnotations = useCallback(() => {
    call('annotations.list', { caseId }).then(setAnnotations, (error: unknown) => setActionError(messageOf(error)));
  }, [caseId]);

  // --- layout and virtualisation -------------------------------------------------------------------------
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewportSize({ width: element.clientWidth, height: element.clientHeight }));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const rotated = rotation % 180 !== 0;
  const unscaled = baseSize ? (rotated ? { width: baseSize.height, height: baseSize.width } : baseSize) : { width: 595, height: 842 };
  const availableWidth = Math.max(200, viewportSize.width - 2 * PAGE_GAP);
  const scale =
    zoom === 'actual' ? 96 / 72 : zoom === 'fit-width' ? availableWidth / unscaled.width : Math.min(availableWidth / unscaled.width, (viewportSize.height - 2 * PAGE_GAP) / unscaled.height);
  const pageWidth = Math.floor(unscaled.width * scale);
  const pageHeight = Math.floor(unscaled.height * scale);
  const stride = pageHeight + PAGE_GAP;
  const currentPage = Math.min(pageCount, Math.max(1, Math.floor((scrollTop + viewportSize.height / 3) / stride) + 1));
  const firstDrawn = Math.max(1, Math.floor(scrollTop / stride) + 1 - OVERSCAN_PAGES);
  const lastDrawn = Math.min(pageCount, Math.floor((scrollTop + viewportSize.height) / stride) + 1 + OVERSCAN_PAGES);

  const scrollToPage = useCallback(
    (page: number) => {
      const element = scrollRef.current;
      if (!element) return;
      element.scrollTop = (page - 1) * stride;
      setScrollTop(element.scrollTop);
    },
    [stride],
  );

  // Once the document is laid out, go where we were asked to (a search hit, a label, the remembered place).
  useEffect(() => {
    if (!pdf || !baseSize) return;
    scrollToPage(Math.min(pendingPage, pdf.numPages));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pdf, baseSize, pendingPage]);

  // Keep the place across zoom and rotation changes.
  const lastPage = useRef(currentPage);
  useEffect(() => {
    scrollToPage(lastPage.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [zoom, rotation]);
  useEffect(() => {
    lastPage.current = currentPage;
  }, [currentPage]);
  const laidOut = pdf !== null && baseSize !== null;
  useEffect(() => {
    if (!placeKnown || !laidOut) return;
    const timer = setTimeout(() => {
      call('reader.savePlace', { caseId, documentId, page: currentPage, zoom }).catch(() => undefined);
    }, PLACE_SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [caseId, documentId, currentPage, zoom, placeKnown, laidOut]);

  const openAt = useCallback(
    (targetDocumentId: string, page: number) => {
      if (targetDocumentId === documentId) {
        setPendingPage(page);
        scrollToPage(page);
      } else {
        setPendingPage(page);
        setScrollTop(0);
        setDocumentId(targetDocumentId);
      }
    },
    [documentId, scrollToPage],
  );

  // --- search ---------------------------------------------------------------------------------------------
  async function runSearch(event?: FormEvent) {
    event?.preventDefault();
    setSearchError(null);
    setPanel('search');
    if (!query.trim()) {
      setResults(null);
      return;
    }
    setSearching(true);
    try {
      await indexRun.current.catch(() => undefined);
      setResults(await call('search.query', { caseId, query }));
    } catch (error) {
      setSearchError(messageOf(error));
    } finally {
      setSearching(false);
    }
  }

  const searchPatterns = useMemo(
    () =>
      hitTerms.map((term) => new RegExp(`${term.words.map(escapeRegExp).join('[^\\p{L}\\p{N}]+')}${term.prefix ? '[\\p{L}\\p{N}]*' : ''}`, 'giu')),
    [hitTerms],
  );

  // --- annotations ----------------------------------------------------------------------------------------
  const visibleAnnotations = useMemo(
    () => annotations.filter(({ annotation }) => !annotation.deleted && annotation.content && (!presenting || annotation.visibility === 'panel')),
    [annotations, presenting],
  );

  const marksByPage = useMemo(() => {
    const marks = new Map<number, TextMark[]>();
    const areas = new Map<number, AreaMark[]>();
    if (!pageTexts) return { marks, areas };
    for (const { annotation, anchor } of visibleAnnotations) {
      const content = annotation.content!;
      if (content.documentId !== documentId || !anchor || anchor.status !== 'anchored') continue;
      const className = `vis-${annotation.visibility}${annotation.id === selectedId ? ' is-selected' : ''}`;
      if (anchor.method !== 'page') {
        for (let page = anchor.start.page; page <= anchor.end.page; page++) {
          const start = page === anchor.start.page ? anchor.start.offset : 0;
          const end = page === anchor.end.page ? anchor.end.offset : (pageTexts[page - 1]?.length ?? 0);
          if (end > start) marks.set(page, [...(marks.get(page) ?? []), { key: annotation.id, start, end, className }]);
        }
      } else if (content.kind === 'area') {
        areas.set(content.page, [...(areas.get(content.page) ?? []), { key: annotation.id, rect: content.rect, className, label: `Area highlight: ${content.note ?? 'no note'}` }]);
      }
    }
    return { marks, areas };
  }, [visibleAnnotations, documentId, pageTexts, selectedId]);

  const pageNotes = useMemo(() => {
    const notes = new Map<number, AnnotationView[]>();
    for (const { annotation } of visibleAnnotations) {
      const content = annotation.content!;
      if (content.documentId === documentId && content.kind === 'page-note') notes.set(content.page, [...(notes.get(content.page) ?? []), annotation]);
    }
    return notes;
  }, [visibleAnnotations, documentId]);

  // Changes are saved one after another, each against the version the previous one produced.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const latest = useRef(new Map<string, AnnotationView>());
  const current = (annotation: AnnotationView) => {
    const newer = latest.current.get(annotation.id);
    return newer && newer.version > annotation.version ? newer : annotation;
  };

  function save(work: () => Promise<AnnotationView>, entry?: UndoEntry): Promise<AnnotationView | null> {
    const run = queue.current.then(() => saveNow(work, entry));
    queue.current = run;
    return run;
  }

  async function saveNow(work: () => Promise<AnnotationView>, entry?: UndoEntry): Promise<AnnotationView | null> {
    setSaveState({ state: 'saving' });
    setActionError(null);
    try {
      const result = await work();
      latest.current.set(result.id, result);
      if (entry) {
        undoStack.current.push(entry);
        redoStack.current = [];
        setHistoryTick((n) => n + 1);
      }
      setSaveState({ state: 'saved' });
      refreshAnnotations();
      return result;
    } catch (error) {
      setSaveState({ state: 'error', message: messageOf(error) });
      return null;
    }
  }

  async function create(content: AnnotationContent) {
    let createdId = '';
    const created = await save(
      async () => {
        const view = await call('annotations.create', { caseId, content, visibility: 'private' });
        createdId = view.id;
        return view;
      },
      {
        label: 'the new annotation',
        undo: () => call('annotations.delete', { annotationId: createdId }),
        redo: () => call('annotations.restore', { annotationId: createdId, version: 1 }),
      },
    );
    if (created) {
      setSelectedId(created.id);
      setPanel('annotations');
    }
  }

  type ContentPatch = Partial<Pick<AnnotationContent, 'note' | 'tags' | 'allegations'>>;
  async function change(annotation: AnnotationView, next: { patch?: ContentPatch; visibility?: AnnotationVisibility }) {
    let before: { content: AnnotationContent; visibility: AnnotationVisibility } | null = null;
    let after: { content: AnnotationContent; visibility: AnnotationVisibility } | null = null;
    await save(
      async () => {
        // Applied to the newest saved version, so quick successive edits build on each other.
        const base = current(annotation);
        before = { content: base.content!, visibility: base.visibility };
        after = { content: { ...base.content!, ...next.patch } as AnnotationContent, visibility: next.visibility ?? base.visibility };
        return call('annotations.update', { annotationId: annotation.id, ...after, expectedVersion: base.version });
      },
      {
        label: 'the change',
        undo: () => call('annotations.update', { annotationId: annotation.id, ...before! }),
        redo: () => call('annotations.update', { annotationId: annotation.id, ...after! }),
      },
    );
  }

  async function remove(annotation: AnnotationView) {
    let version = annotation.version;
    await save(() => {
      version = current(annotation).version;
      return call('annotations.delete', { annotationId: annotation.id, expectedVersion: version });
    }, {
      label: 'the deletion',
      undo: () => call('annotations.restore', { annotationId: annotation.id, version }),
      redo: () => call('annotations.delete', { annotationId: annotation.id }),
    });
    setSelectedId(null);
  }

  async function undo(redo = false) {
    const from = redo ? redoStack.current : undoStack.current;
    const to = redo ? undoStack.current : redoStack.current;
    const entry = from.pop();
    if (!entry) return;
    const result = await save(() => (redo ? entry.redo() : entry.undo()));
    if (result) to.push(entry);
    else from.push(entry);
    setHistoryTick((n) => n + 1);
  }

  function highlightSelection() {
    setActionError(null);
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
      setActionError('Select some text on a page first, then choose Highlight.');
      return;
    }
    const range = selection.getRangeAt(0);
    const start = pointOf(range.startContainer, range.startOffset, 'start');
    const end = pointOf(range.endContainer, range.endOffset, 'end');
    if (!start || !end || !pageTexts) {
      setActionError(pageTexts ? 'Select text within the document’s pages.' : 'This document’s text could not be read, so it cannot be highlighted; draw an area instead.');
      return;
    }
    if (end.page < start.page || (end.page === start.page && end.offset <= start.offset)) {
      setActionError('Select some text on a page first, then choose Highlight.');
      return;
    }
    let quote;
    try {
      quote = describeTextSelection(pageTexts, start, end);
    } catch {
      setActionError('That selection could not be matched to the document’s text.');
      return;
    }
    selection.removeAllRanges();
    void create({ kind: 'highlight', documentId, documentSha256: doc.sha256, note: null, tags: [], allegations: [], start, end, quote });
  }

  function addArea(page: number, rect: PdfRect) {
    setDrawingArea(false);
    void create({ kind: 'area', documentId, documentSha256: doc.sha256, note: null, tags: [], allegations: [], page, rect });
  }

  async function askVisibility(annotation: AnnotationView, to: AnnotationVisibility) {
    try {
      const audience = await call('annotations.audience', { caseId, visibility: to });
      setVisibilityChange({ annotation, to, audience });
    } catch (error) {
      setActionError(messageOf(error));
    }
  }

  /** Runs a pack or JSON-LD import/export: clears the last message, shows the outcome or the error in plain words. */
  async function fileAction(work: () => Promise<string | null>) {
    setPackMessage(null);
    setActionError(null);
    try {
      const message = await work();
      if (message) setPackMessage(message);
    } catch (error) {
      setActionError(messageOf(error));
    }
  }

  const exportPack = () =>
    fileAction(async () => {
      const result = await call('annotations.exportPack', { caseId });
      if (!result.savedTo) return null;
      const unreachable = result.unreachable.length ? ` ${result.unreachable.map((m) => m.name).join(', ')} cannot open it: their keys are not known here.` : '';
      return `Saved ${plural(result.annotations, 'shared annotation')} for ${result.recipients.map((m) => m.name).join(', ')}.${unreachable}`;
    });

  const importPack = () =>
    fileAction(async () => {
      const result = await call('annotations.importPack', { caseId });
      if (!result) return null;
      refreshAnnotations();
      return result.changed
        ? `Imported from ${result.author.name}: ${result.added} new, ${result.updated} updated, ${result.deleted} removed${result.conflicts ? `, ${result.conflicts} conflicting (kept both versions)` : ''}${result.skipped ? `, ${result.skipped} on documents not in your copy` : ''}.`
        : `Nothing new from ${result.author.name}: you already have these annotations.`;
    });

  const exportJsonLd = () => {
    setJsonLdConfirm(false);
    return fileAction(async () => {
      const result = await call('annotations.exportJsonLd', { caseId });
      return result.savedTo ? `Exported ${plural(result.annotations, 'annotation')} as JSON-LD.` : null;
    });
  };

  const importJsonLd = () =>
    fileAction(async () => {
      const result = await call('annotations.importJsonLd', { caseId });
      if (!result) return null;
      refreshAnnotations();
      return `Imported from JSON-LD: ${result.added} new, ${result.updated} updated, ${result.unchanged} unchanged${result.kept ? `, ${result.kept} kept as they are here (a file never overrides a signed or local annotation)` : ''}${result.othersPrivate ? `, ${result.othersPrivate} of someone else's private notes left out` : ''}.`;
    });

  async function restoreVersion(annotation: AnnotationView, version: number) {
    setHistoryOf(null);
    let before = annotation.version;
    await save(
      async () => {
        before = current(annotation).version;
        return call('annotations.restore', { annotationId: annotation.id, version });
      },
      {
        label: 'the restored version',
        undo: () => call('annotations.restore', { annotationId: annotation.id, version: before }),
        redo: () => call('annotations.restore', { annotationId: annotation.id, version }),
      },
    );
  }

  // --- keyboard -----------------------------------------------------------------------------------------------
  const keyHandler = useRef<(event: KeyboardEvent) => void>(() => undefined);
  keyHandler.current = (event: KeyboardEvent) => {
    if (document.querySelector('dialog[open]')) return;
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && event.key.toLowerCase() === 'z' && !isTyping(event.target)) {
      event.preventDefault();
      void undo(event.shiftKey);
      return;
    }
    if (ctrl || event.altKey || isTyping(event.target)) return;
    const actions: Record<string, () => void> = {
      j: () => scrollToPage(Math.min(pageCount, currentPage + 1)),
      ArrowDown: () => scrollToPage(Math.min(pageCount, currentPage + 1)),
      k: () => scrollToPage(Math.max(1, currentPage - 1)),
      ArrowUp: () => scrollToPage(Math.max(1, currentPage - 1)),
      ']': () => docIndex < documents.length - 1 && openAt(documents[docIndex + 1]!.id, 1),
      '[': () => docIndex > 0 && openAt(documents[docIndex - 1]!.id, 1),
      g: () => goToRef.current?.focus(),
      w: () => setZoom('fit-width'),
      f: () => setZoom('fit-page'),
      '0': () => setZoom('actual'),
      r: () => setRotation((r) => (r + 90) % 360),
      '/': () => searchRef.current?.focus(),
      h: () => highlightSelection(),
      a: () => setDrawingArea((on) => !on),
      n: () => setPageNoteOpen(true),
      p: () => setPresenting((on) => !on),
      '?': () => setHelpOpen(true),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keyHandler.current(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  function submitGoTo(event: FormEvent) {
    event.preventDefault();
    const found = findLabel(documents, goTo);
    if (!found) {
      setGoToError(`There is no page ${goTo.trim() || '(empty)'} in this bundle.`);
      return;
    }
    setGoToError(null);
    setGoTo('');
    openAt(found.doc.id, found.page);
  }

  // --- the panel's list ------------------------------------------------------------------------------------
  const authors = [...new Map(annotations.map(({ annotation }) => [annotation.author.signingKey, annotation.author.name])).entries()];
  const tags = [...new Set(annotations.flatMap(({ annotation }) => annotation.content?.tags ?? []))].sort();
  const listed = visibleAnnotations.filter(({ annotation }) => {
    const content = annotation.content!;
    return (
      (!filters.author || annotation.author.signingKey === filters.author) &&
      (!filters.visibility || annotation.visibility === filters.visibility) &&
      (!filters.allegation || content.allegations.includes(Number(filters.allegation))) &&
      (!filters.tag || content.tags.includes(filters.tag)) &&
      (!filters.document || content.documentId === filters.document)
    );
  });
  const selected = annotations.find(({ annotation }) => annotation.id === selectedId)?.annotation ?? null;

  function jumpTo(item: AnchoredAnnotationView) {
    const content = item.annotation.content!;
    setSelectedId(item.annotation.id);
    const page = item.anchor?.status === 'anchored' ? (item.anchor.method === 'page' ? item.anchor.page : item.anchor.start.page) : content.kind === 'highlight' ? content.start.page : content.page;
    openAt(content.documentId, page);
  }

  const sections = detail.sections.map((section) => ({ ...section, documents: documents.filter((d) => d.section === section.letter) })).filter((s) => s.documents.length > 0);

  return (
    <div className={`reader${presenting ? ' is-presenting' : ''}`}>
      <div className="reader-toolbar" role="toolbar" aria-label="Reader">
        <Button variant="quiet" onClick={onClose}>
          <span aria-hidden="true">← </span>Back to the case
        </Button>
        <div className="reader-doc-nav">
          <Button variant="quiet" aria-label="Previous document" disabled={docIndex === 0} onClick={() => openAt(documents[docIndex - 1]!.id, 1)}>
            ‹
          </Button>
          <span className="reader-position" aria-live="polite">
            <span className="mono">{pageLabel(doc, currentPage)}</span> · page {currentPage} of {pageCount}
          </span>
          <Button variant="quiet" aria-label="Next document" disabled={docIndex === documents.length - 1} onClick={() => openAt(documents[docIndex + 1]!.id, 1)}>
            ›
          </Button>
        </div>
        <form className="reader-goto" onSubmit={submitGoTo}>
          <label htmlFor="reader-goto">Go to page</label>
          <input id="reader-goto" ref={goToRef} value={goTo} onChange={(e) => setGoTo(e.target.value)} placeholder="B12" size={6} aria-describedby={goToError ? 'reader-goto-error' : undefined} />
          <Button type="submit" variant="quiet">
            Go
          </Button>
        </form>
        <div className="reader-zoom" role="group" aria-label="Zoom and rotation">
          <Button variant="quiet" aria-pressed={zoom === 'fit-width'} onClick={() => setZoom('fit-width')}>
            Fit width
          </Button>
          <Button variant="quiet" aria-pressed={zoom === 'fit-page'} onClick={() => setZoom('fit-page')}>
            Fit page
          </Button>
          <Button variant="quiet" aria-pressed={zoom === 'actual'} onClick={() => setZoom('actual')}>
            100%
          </Button>
          <Button variant="quiet" onClick={() => setRotation((r) => (r + 90) % 360)}>
            Rotate
          </Button>
        </div>
        <div className="reader-tools" role="group" aria-label="Annotate">
          <Button variant="quiet" onMouseDown={(e) => e.preventDefault()} onClick={highlightSelection}>
            Highlight
          </Button>
          <Button variant="quiet" aria-pressed={drawingArea} onClick={() => setDrawingArea((on) => !on)}>
            Area
          </Button>
          <Button variant="quiet" onClick={() => setPageNoteOpen(true)}>
            Page note
          </Button>
          <Button variant="quiet" aria-pressed={presenting} onClick={() => setPresenting((on) => !on)}>
            Presentation
          </Button>
          <Button variant="quiet" aria-label="Keyboard shortcuts" onClick={() => setHelpOpen(true)}>
            ?
          </Button>
        </div>
        <span className={`save-state save-${saveState.state}`} role="status">
          {saveState.state === 'saving' ? 'Saving…' : saveState.state === 'saved' ? 'Saved' : saveState.state === 'error' ? 'Not saved' : ''}
        </span>
      </div>
      {goToError ? <ErrorMessage id="reader-goto-error">{goToError}</ErrorMessage> : null}
      {saveState.state === 'error' ? <ErrorMessage>{saveState.message}</ErrorMessage> : null}
      {actionError ? <ErrorMessage>{actionError}</ErrorMessage> : null}
      {presenting ? (
        <p className="presenting-banner" role="status">
          Presentation mode: private notes and legal advice are hidden. Press P to show them again.
        </p>
      ) : null}

      <div className="reader-body">
        <div className="reader-left">
        <nav className="reader-index" aria-label="Bundle index">
          {sections.map((section) => (
            <div key={section.letter}>
              <h2 className="reader-index-section">
                {section.letter}. {section.title}
              </h2>
              <ul>
                {section.documents.map((d) => (
                  <li key={d.id}>
                    <button type="button" className="reader-index-doc" aria-current={d.id === doc.id ? 'true' : undefined} onClick={() => openAt(d.id, 1)}>
                      <span className="mono">{labelRange(d.firstLabel, d.lastLabel)}</span> {d.title}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <nav className="reader-thumbs" aria-label="Page thumbnails">
          <h2 className="reader-index-section">Pages</h2>
          {pdf ? <Thumbnails pdf={pdf} pageCount={pageCount} currentPage={currentPage} rotation={rotation} labelOf={(page) => pageLabel(doc, page)} onGo={(page) => openAt(documentId, page)} /> : null}
        </nav>
        </div>

        <section className="reader-pages" aria-label={`${doc.title}, pages`}>
          <h1 className="visually-hidden">{doc.title}</h1>
          {loadError ? <ErrorMessage>{loadError}</ErrorMessage> : null}
          <div ref={scrollRef} className="reader-scroll" tabIndex={0} aria-label="Document pages" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
            {pdf && baseSize ? (
              <div className="reader-stack" style={{ height: pageCount * stride + PAGE_GAP }}>
                {Array.from({ length: lastDrawn - firstDrawn + 1 }, (_, i) => firstDrawn + i).map((page) => (
                  <div key={page} className="page-slot" style={{ top: (page - 1) * stride + PAGE_GAP, left: Math.max(PAGE_GAP, (viewportSize.width - pageWidth) / 2), width: pageWidth, height: pageHeight }} aria-label={`Page ${pageLabel(doc, page)}`} role="region">
                    <PdfPage
                      pdf={pdf}
                      pageNumber={page}
                      scale={scale}
                      rotation={rotation}
                      width={pageWidth}
                      height={pageHeight}
                      marks={marksByPage.marks.get(page) ?? NO_MARKS}
                      areas={marksByPage.areas.get(page) ?? NO_AREAS}
                      searchPatterns={searchPatterns}
                      drawingArea={drawingArea}
                      onAreaDrawn={(rect) => addArea(page, rect)}
                      onMarkClick={(key) => {
                        setSelectedId(key);
                        setPanel('annotations');
                      }}
                    />
                    {(pageNotes.get(page) ?? []).length > 0 ? (
                      <button
                        type="button"
                        className={`page-note-marker vis-${pageNotes.get(page)![0]!.visibility}`}
                        onClick={() => {
                          setSelectedId(pageNotes.get(page)![0]!.id);
                          setPanel('annotations');
                        }}
                      >
                        {plural(pageNotes.get(page)!.length, 'note')}
                      </button>
                    ) : null}
                  </div>
                ))}
              </div>
            ) : !loadError ? (
              <p className="loading" aria-live="polite">
                Opening {doc.title}…
              </p>
            ) : null}
          </div>
        </section>

        <aside className="reader-side" aria-label="Search and annotations">
          <div className="reader-side-switch" role="group" aria-label="Show">
            <Button variant="quiet" aria-pressed={panel === 'search'} onClick={() => setPanel('search')}>
              Search
            </Button>
            <Button variant="quiet" aria-pressed={panel === 'annotations'} onClick={() => setPanel('annotations')}>
              Annotations ({listed.length})
            </Button>
          </div>
          <form className="reader-search" role="search" onSubmit={runSearch}>
            <label htmlFor="reader-search" className="visually-hidden">
              Search the bundle
            </label>
            <input id="reader-search" ref={searchRef} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search the bundle" />
            <Button type="submit" variant="secondary" busy={searching} busyLabel="Searching…">
              Search
            </Button>
          </form>
          {indexing ? (
            <p className="index-progress small" role="status" aria-busy="true">
              <span className="index-spinner" aria-hidden="true" /> Preparing search… (reading the bundle’s text once; searches wait for it)
            </p>
          ) : null}
          {indexNote ? <p className="muted small">{indexNote}</p> : null}

          {panel === 'search' ? (
            <div className="reader-results">
              {searchError ? <ErrorMessage>{searchError}</ErrorMessage> : null}
              {results ? (
                <>
                  <h2 className="reader-side-title" aria-live="polite">
                    {plural(results.pages.length, 'page')} found
                    {results.indexedDocuments < results.documents ? ` (${results.documents - results.indexedDocuments} not searchable)` : ''}
                  </h2>
                  <ul className="result-list" aria-label="Search results">
                    {results.pages.map((hit) => (
                      <li key={`${hit.documentId}-${hit.documentPage}`}>
                        <button
                          type="button"
                          className="result"
                          onClick={() => {
                            setHitTerms(results.terms);
                            openAt(hit.documentId, hit.documentPage);
                          }}
                        >
                          <span className="result-head">
                            <span className="mono">{hit.label}</span> {hit.title}
                          </span>
                          <span className="result-snippet">
                            <Snippet text={hit.snippet} />
                          </span>
                        </button>
                      </li>
                    ))}
                  </ul>
                  {results.annotations.filter((a) => !presenting || a.visibility === 'panel').length > 0 ? (
                    <>
                      <h2 className="reader-side-title">In annotations</h2>
                      <ul className="result-list">
                        {results.annotations
                          .filter((a) => !presenting || a.visibility === 'panel')
                          .map((hit) => (
                            <li key={hit.annotationId}>
                              <button type="button" className="result" onClick={() => { setSelectedId(hit.annotationId); setPanel('annotations'); openAt(hit.documentId, hit.documentPage); }}>
                                <span className="result-head">
                                  <span className="mono">{hit.label}</span> {hit.authorName} · {VISIBILITY_NAMES[hit.visibility]}
                                </span>
                                <span className="result-snippet">
                                  <Snippet text={hit.snippet} />
                                </span>
                              </button>
                            </li>
                          ))}
                      </ul>
                    </>
                  ) : null}
                </>
              ) : (
                <p className="muted small">Words must all appear; use "quotes" for a phrase and a trailing * for a prefix (financ*).</p>
              )}
            </div>
          ) : (
            <div className="reader-annotations">
              <div className="pack-actions">
                <Button variant="secondary" onClick={exportPack}>
                  Share my annotations…
                </Button>
                <Button variant="secondary" onClick={importPack}>
                  Import a pack…
                </Button>
                <Button variant="quiet" onClick={() => setJsonLdConfirm(true)}>
                  Export JSON-LD…
                </Button>
                <Button variant="quiet" onClick={importJsonLd}>
                  Import JSON-LD…
                </Button>
              </div>
              {packMessage ? (
                <p className="message message-success pack-result" role="status">
                  {packMessage}
                </p>
              ) : null}
              {selected && selected.content && !selected.deleted && (!presenting || selected.visibility === 'panel') ? (
                <AnnotationEditor
                  key={`${selected.id}-${selected.version}`}
                  annotation={selected}
                  allegations={detail.caseFile.allegations}
                  canAdvise={isLawyer}
                  onChange={(next) => change(selected, next)}
                  onVisibility={(to) => askVisibility(selected, to)}
                  onDelete={() => remove(selected)}
                  onHistory={() => setHistoryOf(selected)}
                  onClose={() => setSelectedId(null)}
                />
              ) : null}
              <details className="annotation-filters-box" open={Object.values(filters).some(Boolean) || undefined}>
                <summary>
                  Filter{Object.values(filters).some(Boolean) ? ` (${Object.values(filters).filter(Boolean).length} on)` : ''}
                </summary>
              <fieldset className="annotation-filters">
                <legend className="visually-hidden">Filter the annotations</legend>
                <FilterSelect label="Author" value={filters.author} onChange={(author) => setFilters({ ...filters, author })} options={authors.map(([key, name]) => [key, name])} />
                <FilterSelect
                  label="Visibility"
                  value={filters.visibility}
                  onChange={(visibility) => setFilters({ ...filters, visibility })}
                  options={(presenting ? (['panel'] as const) : (['private', 'panel', 'legal-advice'] as const)).map((v) => [v, VISIBILITY_NAMES[v]])}
                />
                <FilterSelect
                  label="Allegation"
                  value={filters.allegation}
                  onChange={(allegation) => setFilters({ ...filters, allegation })}
                  options={detail.caseFile.allegations.map((a) => [String(a.number), `Allegation ${a.number}`])}
                />
                <FilterSelect label="Tag" value={filters.tag} onChange={(tag) => setFilters({ ...filters, tag })} options={tags.map((t) => [t, t])} />
                <FilterSelect label="Document" value={filters.document} onChange={(document) => setFilters({ ...filters, document })} options={documents.map((d) => [d.id, `${d.firstLabel} ${d.title}`])} />
              </fieldset>
              </details>
              <ul className="annotation-list" aria-label="Annotations">
                {listed.length === 0 ? <li className="muted small">No annotations{Object.values(filters).some(Boolean) ? ' match these filters' : ' yet: select text and choose Highlight'}.</li> : null}
                {listed.map((item) => (
                  <AnnotationItem key={item.annotation.id} item={item} documents={documents} selected={item.annotation.id === selectedId} onJump={() => jumpTo(item)} />
                ))}
              </ul>
            </div>
          )}
        </aside>
      </div>

      {helpOpen ? (
        <Dialog title="Keyboard shortcuts" onClose={() => setHelpOpen(false)}>
          <dl className="shortcut-list">
            {SHORTCUTS.map(([keys, what]) => (
              <div key={keys}>
                <dt>
                  <kbd>{keys}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
          <div className="dialog-actions">
            <Button variant="primary" onClick={() => setHelpOpen(false)}>
              Close
            </Button>
          </div>
        </Dialog>
      ) : null}
      {pageNoteOpen ? (
        <PageNoteDialog
          label={pageLabel(doc, currentPage)}
          onClose={() => setPageNoteOpen(false)}
          onSave={(note) => {
            setPageNoteOpen(false);
            void create({ kind: 'page-note', documentId, documentSha256: doc.sha256, note, tags: [], allegations: [], page: currentPage });
          }}
        />
      ) : null}
      {jsonLdConfirm ? (
        <Dialog title="Export the annotations as JSON-LD?" onClose={() => setJsonLdConfirm(false)}>
          <p>
            The file is the W3C Web Annotation format, as <strong>readable text</strong>: it is not encrypted and includes every annotation of this case in
            your vault, your private notes among them. Keep it somewhere safe, and use “Share my annotations…” to send notes to the panel.
          </p>
          <div className="dialog-actions">
            <Button variant="quiet" onClick={() => setJsonLdConfirm(false)}>
              Cancel
            </Button>
            <Button variant="primary" onClick={() => void exportJsonLd()}>
              Choose where to save…
            </Button>
          </div>
        </Dialog>
      ) : null}
      {historyOf ? (
        <HistoryDialog
          annotation={historyOf}
          documents={documents}
          onRestore={(version) => void restoreVersion(historyOf, version)}
          onClose={() => setHistoryOf(null)}
        />
      ) : null}
      {visibilityChange ? (
        <Dialog title={VISIBILITY_QUESTIONS[visibilityChange.to]} onClose={() => setVisibilityChange(null)}>
          <p>
            {visibilityChange.to === 'private'
              ? 'Only you will see it. Anyone you already shared it with will have it removed when you next share a pack.'
              : visibilityChange.to === 'legal-advice'
                ? 'It will be marked as legal advice, recorded for the outcome record, and shared with:'
                : 'It will be shared, when you next share a pack, with:'}
          </p>
          {visibilityChange.to !== 'private' ? (
            <ul className="audience">
              {visibilityChange.audience.map((member) => (
                <li key={member.fingerprint}>
                  <strong>{member.name}</strong> ({roleLabel(member.role)}){member.reachable ? '' : ' — their keys are not known here, so they cannot open a pack yet'}
                </li>
              ))}
            </ul>
          ) : null}
          <div className="dialog-actions">
            <Button variant="quiet" onClick={() => setVisibilityChange(null)}>
              Cancel
            </Button>
            <Button
              variant="primary"
              onClick={() => {
                const { annotation, to } = visibilityChange;
                setVisibilityChange(null);
                void change(annotation, { visibility: to });
              }}
            >
              {VISIBILITY_CONFIRMATIONS[visibilityChange.to]}
            </Button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}

const NO_MARKS: TextMark[] = [];
const NO_AREAS: AreaMark[] = [];

function FilterSelect({ label, value, onChange, options }: { label: string; value: string; onChange(value: string): void; options: [string, string][] }) {
  const id = `filter-${label.toLowerCase()}`;
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {options.map(([key, name]) => (
          <option key={key} value={key}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

function AnnotationItem({ item, documents, selected, onJump }: { item: AnchoredAnnotationView; documents: readonly BundleDoc[]; selected: boolean; onJump(): void }) {
  const { annotation, anchor } = item;
  const content = annotation.content!;
  const doc = documents.find((d) => d.id === content.documentId);
  const page = content.kind === 'highlight' ? content.start.page : content.page;
  const orphan = anchor?.status === 'orphan';
  const kind = content.kind === 'highlight' ? 'Highlight' : content.kind === 'area' ? 'Area' : 'Page note';
  return (
    <li className={`annotation-item vis-${annotation.visibility}${selected ? ' is-selected' : ''}`}>
      <button type="button" className="annotation-jump" onClick={onJump}>
        <span className="result-head">
          <span className="mono">{doc ? pageLabel(doc, page) : '—'}</span> {kind} · {annotation.mine ? 'you' : annotation.author.name}
          <span className={`badge vis-badge vis-${annotation.visibility}`}>{VISIBILITY_NAMES[annotation.visibility]}</span>
        </span>
        {orphan ? <span className="orphan-note">Not found in the document’s text now; the quote was:</span> : null}
        {content.kind === 'highlight' ? <q className="annotation-quote">{content.quote.exact}</q> : null}
        {content.note ? <span className="annotation-note">{content.note}</span> : null}
        {content.allegations.length || content.tags.length ? (
          <span className="annotation-links">
            {content.allegations.map((n) => `Allegation ${n}`).concat(content.tags.map((t) => `#${t}`)).join(' · ')}
          </span>
        ) : null}
      </button>
    </li>
  );
}

function AnnotationEditor({
  annotation,
  allegations,
  canAdvise,
  onChange,
  onVisibility,
  onDelete,
  onHistory,
  onClose,
}: {
  annotation: AnnotationView;
  allegations: CaseDetail['caseFile']['allegations'];
  canAdvise: boolean;
  onChange(next: { patch: Partial<Pick<AnnotationContent, 'note' | 'tags' | 'allegations'>> }): void;
  onVisibility(to: AnnotationVisibility): void;
  onDelete(): void;
  onHistory(): void;
  onClose(): void;
}) {
  const content = annotation.content!;
  const [note, setNote] = useState(content.note ?? '');
  const [tagText, setTagText] = useState(content.tags.join(', '));
  // What was last sent, so leaving a field and then pressing Save does not save the same text twice.
  const sent = useRef({ note: content.note, tags: content.tags.join(',') });
  // Shown at once; the save follows (and its "Saved" or error appears in the toolbar).
  const [linked, setLinked] = useState(content.allegations);
  if (!annotation.mine) {
    return (
      <section className="annotation-editor" aria-label="Selected annotation">
        <p className="small">
          Written by <strong>{annotation.author.name}</strong>; only its author can change it.
        </p>
        <Button variant="quiet" onClick={onHistory}>
          History
        </Button>
        <Button variant="quiet" onClick={onClose}>
          Close
        </Button>
      </section>
    );
  }
  const saveText = () => {
    const tags = [...new Set(tagText.split(',').map((t) => t.trim()).filter(Boolean))];
    const nextNote = note.trim() ? note : null;
    if (content.kind === 'page-note' && !nextNote) return;
    if (nextNote === sent.current.note && tags.join(',') === sent.current.tags) return;
    sent.current = { note: nextNote, tags: tags.join(',') };
    onChange({ patch: { note: nextNote as string, tags } });
  };
  const visibilities: AnnotationVisibility[] = canAdvise || annotation.visibility === 'legal-advice' ? ['private', 'panel', 'legal-advice'] : ['private', 'panel'];
  return (
    <section className="annotation-editor" aria-label="Selected annotation">
      <label htmlFor="annotation-note">Note</label>
      <textarea id="annotation-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} onBlur={saveText} />
      <label htmlFor="annotation-tags">Tags (separated by commas)</label>
      <input id="annotation-tags" value={tagText} onChange={(e) => setTagText(e.target.value)} onBlur={saveText} />
      <fieldset className="annotation-allegations">
        <legend>Relevant to</legend>
        {allegations.map((allegation) => (
          <label key={allegation.number} className="checkbox">
            <input
              type="checkbox"
              checked={linked.includes(allegation.number)}
              onChange={(e) => {
                const next = e.target.checked ? [...linked, allegation.number].sort((a, b) => a - b) : linked.filter((n) => n !== allegation.number);
                setLinked(next);
                onChange({ patch: { allegations: next } });
              }}
            />
            Allegation {allegation.number}
          </label>
        ))}
      </fieldset>
      <fieldset className="annotation-visibility">
        <legend>Who can see it</legend>
        {visibilities.map((v) => (
          <label key={v} className="checkbox">
            <input type="radio" name="annotation-visibility" checked={annotation.visibility === v} onChange={() => onVisibility(v)} />
            {VISIBILITY_NAMES[v]}
          </label>
        ))}
      </fieldset>
      <div className="editor-actions">
        <Button variant="secondary" onClick={saveText}>
          Save note
        </Button>
        <Button variant="quiet" onClick={onHistory}>
          History
        </Button>
        <Button variant="quiet" className="btn-danger-quiet" onClick={onDelete}>
          Delete
        </Button>
        <Button variant="quiet" onClick={onClose}>
          Close
        </Button>
      </div>
    </section>
  );
}

function PageNoteDialog({ label, onClose, onSave }: { label: string; onClose(): void; onSave(note: string): void }) {
  const [note, setNote] = useState('');
  return (
    <Dialog title={`Note on page ${label}`} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (note.trim()) onSave(note);
        }}
      >
        <label htmlFor="page-note-text">Note</label>
        <textarea id="page-note-text" rows={5} value={note} onChange={(e) => setNote(e.target.value)} />
        <div className="dialog-actions">
          <Button variant="quiet" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary">
            Save note
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** The page and offset in that page's text of a point of a DOM selection inside a text layer. */
function pointOf(node: Node, offset: number, edge: 'start' | 'end'): { page: number; offset: number } | null {
  const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : (node as Element);
  const span = element ? spanOffsets.get(element) : undefined;
  if (span && node.nodeType === Node.TEXT_NODE) return { page: span.page, offset: span.start + Math.min(offset, span.length) };
  // The selection ends on an element (a layer, a line break): take the nearest span's edge.
  const layer = element?.closest('.textLayer') ?? (element?.querySelector?.('.textLayer') as Element | null);
  if (!layer) return null;
  const spans = [...layer.querySelectorAll('span')].filter((s) => spanOffsets.has(s));
  if (spans.length === 0) return null;
  const child = node.childNodes[offset] ?? null;
  if (edge === 'start') {
    const next = spans.find((s) => child === null ? false : child === s || !!(child.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING) || child.contains(s));
    const at = spanOffsets.get(next ?? spans[spans.length - 1]!)!;
    return next ? { page: at.page, offset: at.start } : { page: at.page, offset: at.start + at.length };
  }
  const before = [...spans].reverse().find((s) => child === null || !!(child.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_PRECEDING));
  const at = spanOffsets.get(before ?? spans[0]!)!;
  return before ? { page: at.page, offset: at.start + at.length } : { page: at.page, offset: at.start };
}

const SOURCE_NAMES: Record<AnnotationVersionView['source'], string> = {
  local: 'written here',
  restore: 'restored',
  pack: 'from a shared pack',
  conflict: 'from a pack (conflicting version kept)',
  jsonld: 'imported from JSON-LD',
};

/** One annotation's versions, newest first; the author may make any earlier, undeleted one current again. */
function HistoryDialog({ annotation, documents, onRestore, onClose }: { annotation: AnnotationView; documents: readonly BundleDoc[]; onRestore(version: number): void; onClose(): void }) {
  const [versions, setVersions] = useState<AnnotationVersionView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call('annotations.history', { annotationId: annotation.id }).then(
      (list) => live && setVersions(list),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, [annotation.id, annotation.version]);
  const newest = versions && versions.length ? Math.max(...versions.map((v) => v.version)) : annotation.version;
  return (
    <Dialog title="Edit history" onClose={onClose} size="wide">
      {error ? <ErrorMessage>{error}</ErrorMessage> : null}
      {versions === null && !error ? <p className="loading">Loading the versions…</p> : null}
      {versions ? (
        <ol className="history-list" aria-label="Versions" reversed>
          {[...versions].reverse().map((v, index) => {
            const doc = v.content ? documents.find((d) => d.id === v.content!.documentId) : undefined;
            const page = v.content ? (v.content.kind === 'highlight' ? v.content.start.page : v.content.page) : null;
            const isCurrent = v.version === newest;
            return (
              <li key={`${v.version}-${index}`} className="history-item">
                <div className="history-head">
                  <strong>Version {v.version}</strong>
                  {isCurrent ? <span className="badge">Current</span> : null} · <time dateTime={v.modifiedAt}>{formatMoment(v.modifiedAt)}</time> · {v.authorName} ·{' '}
                  {SOURCE_NAMES[v.source]} · <span className={`badge vis-badge vis-${v.visibility}`}>{VISIBILITY_NAMES[v.visibility]}</span>
                </div>
                {v.deleted || !v.content ? (
                  <p className="muted small">Deleted.</p>
                ) : (
                  <div className="history-body small">
                    {doc && page ? <span className="mono">{pageLabel(doc, page)}</span> : null}{' '}
                    {v.content.kind === 'highlight' ? <q className="annotation-quote">{v.content.quote.exact}</q> : null}
                    <span className="annotation-note">{v.content.note ?? <em className="muted">No note</em>}</span>
                    {v.content.allegations.length || v.content.tags.length ? (
                      <span className="annotation-links">{v.content.allegations.map((n) => `Allegation ${n}`).concat(v.content.tags.map((t) => `#${t}`)).join(' · ')}</span>
                    ) : null}
                  </div>
                )}
                {annotation.mine && !isCurrent && !v.deleted && v.content ? (
                  <Button variant="secondary" aria-label={`Restore this version: version ${v.version}`} onClick={() => onRestore(v.version)}>
                    Restore this version
                  </Button>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}
      <div className="dialog-actions">
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      </div>
    </Dialog>
  );
}
