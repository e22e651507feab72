// Page thumbnails of the open document. The list is virtualised like the pages: every thumbnail has the same
// height, so only those near the list's viewport are mounted (a 2,000-page document draws a dozen), and each small
// canvas is released on unmount. One thumbnail at a time is in the tab order (roving tabindex); the arrow keys,
// Home and End move between them and Enter or a click goes to that page.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';

/** CSS pixels: the canvas width, and one row's height (canvas of an A4 page, label and gaps). */
export const THUMB_WIDTH = 96;
const ROW_HEIGHT = 164;
/** Rows mounted beyond the visible ones, above and below. */
const OVERSCAN_ROWS = 3;

interface ThumbnailsProps {
  pdf: PDFDocumentProxy;
  pageCount: number;
  currentPage: number;
  rotation: number;
  labelOf(page: number): string;
  onGo(page: number): void;
}

export function Thumbnails({ pdf, pageCount, currentPage, rotation, labelOf, onGo }: ThumbnailsProps) {
  const listRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [focusPage, setFocusPage] = useState(currentPage);
  const focusWanted = useRef(false);

  useEffect(() => {
    const element = listRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Follow the reader: keep the current page's thumbnail in view (unless the user is moving through the list).
  useEffect(() => {
    if (focusWanted.current) return;
    setFocusPage(currentPage);
    scrollIntoList(currentPage);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [currentPage]);

  function scrollIntoList(page: number) {
    const element = listRef.current;
    if (!element) return;
    const top = (page - 1) * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
    setScrollTop(element.scrollTop);
  }

  // After a keyboard move, focus the thumbnail once it is mounted.
  useEffect(() => {
    if (!focusWanted.current) return;
    const button = listRef.current?.querySelector<HTMLButtonElement>(`button[data-thumb-page="${focusPage}"]`);
    if (button) {
      button.focus();
      focusWanted.current = false;
    }
  });

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1, PageDown: 5, PageUp: -5 };
    // Move from the thumbnail that has focus: the remembered one can lag while the reader settles on a page.
    const focused = Number((event.target as HTMLElement).closest('button[data-thumb-page]')?.getAttribute('data-thumb-page'));
    const from = Number.isInteger(focused) && focused >= 1 ? focused : focusPage;
    let next: number | null = null;
    if (event.key in moves) next = from + moves[event.key]!;
    else if (event.key === 'Home') next = 1;
    else if (event.key === 'End') next = pageCount;
    if (next === null) return;
    event.preventDefault();
    // The reader's own arrow-key shortcuts must not also move the document while the list has focus.
    event.nativeEvent.stopPropagation();
    const page = Math.min(pageCount, Math.max(1, next));
    focusWanted.current = true;
    setFocusPage(page);
    scrollIntoList(page);
  }

  const first = Math.max(1, Math.floor(scrollTop / ROW_HEIGHT) + 1 - OVERSCAN_ROWS);
  const last = Math.min(pageCount, Math.floor((scrollTop + height) / ROW_HEIGHT) + 1 + OVERSCAN_ROWS);
  const rows: number[] = [];
  for (let page = first; page <= last; page++) rows.push(page);

  return (
    <div ref={listRef} className="reader-thumbs-list" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} onKeyDown={onKeyDown}>
      <ul className="reader-thumbs-stack" style={{ height: pageCount * ROW_HEIGHT }} aria-label={`${pageCount} pages`}>
        {rows.map((page) => (
          <li key={page} className="reader-thumb-row" style={{ top: (page - 1) * ROW_HEIGHT, height: ROW_HEIGHT }}>
            <button
              type="button"
              className="reader-thumb"
              data-thumb-page={page}
              tabIndex={page === focusPage ? 0 : -1}
              aria-current={page === currentPage ? 'page' : undefined}
              aria-label={`Show page ${labelOf(page)}`}
              onClick={() => {
                setFocusPage(page);
                onGo(page);
              }}
              onFocus={() => setFocusPage(page)}
            >
              <ThumbnailCanvas pdf={pdf} pageNumber={page} rotation={rotation} />
              <span className="mono reader-thumb-label" aria-hidden="true">
                {labelOf(page)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ThumbnailCanvas({ pdf, pageNumber, rotation }: { pdf: PDFDocumentProxy; pageNumber: number; rotation: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    let cancelled = false;
    let renderTask: { cancel(): void; promise: Promise<void> } | null = null;
    let release: (() => void) | null = null;
    // A short pause first, so flinging the list past hundreds of pages does not start hundreds of renders.
    const timer = setTimeout(() => {
      void (async () => {
        const page = await pdf.getPage(pageNumber);
        release = () => page.cleanup();
        if (cancelled) return;
        const unscaled = page.getViewport({ scale: 1, rotation: (page.rotate + rotation) % 360 });
        const viewport = page.getViewport({ scale: THUMB_WIDTH / unscaled.width, rotation: (page.rotate + rotation) % 360 });
        const canvas = canvasRef.current;
        if (!canvas) return;
        const ratio = window.devicePixelRatio || 1;
        canvas.width = Math.floor(viewport.width * ratio);
        canvas.height = Math.floor(viewport.height * ratio);
        canvas.style.width = `${Math.floor(viewport.width)}px`;
        canvas.style.height = `${Math.floor(viewport.height)}px`;
        renderTask = page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
        await renderTask.promise;
        if (!cancelled) setDrawn(true);
      })().catch(() => undefined);
    }, 60);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      renderTask?.cancel();
      release?.();
    };
  }, [pdf, pageNumber, rotation]);
  return <canvas ref={canvasRef} className={`reader-thumb-canvas${drawn ? ' is-drawn' : ''}`} width={THUMB_WIDTH} height={136} />;
}
