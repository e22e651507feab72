// One page of the open document: pdf.js draws it on a canvas and lays its text out as an invisible, selectable
// text layer; highlights, search hits, area highlights and page-note markers are drawn over it. Mounted only while
// the page is near the viewport, and everything pdf.js holds for it is released on unmount.
import { useEffect, useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { PDFDocumentProxy, PageViewport } from 'pdfjs-dist';
import type { PdfRect } from '../../../shared/domain/annotation';
import { loadPdfJs } from './pdf';

/** Where each text-layer span starts in the page's text (the same text the search index holds). */
export const spanOffsets = new WeakMap<Element, { page: number; start: number; length: number }>();

export interface TextMark {
  key: string;
  /** Offsets into this page's text. */
  start: number;
  end: number;
  className: string;
  label?: string;
}

export interface AreaMark {
  key: string;
  rect: PdfRect;
  className: string;
  label: string;
}

interface PdfPageProps {
  pdf: PDFDocumentProxy;
  pageNumber: number;
  scale: number;
  rotation: number;
  width: number;
  height: number;
  marks: TextMark[];
  areas: AreaMark[];
  /** Regular expressions for search terms to highlight on this page. */
  searchPatterns: RegExp[];
  drawingArea: boolean;
  onAreaDrawn(rect: PdfRect): void;
  onMarkClick?(key: string): void;
}

interface Box {
  key: string;
  left: number;
  top: number;
  width: number;
  height: number;
  className: string;
  label?: string;
}

export function PdfPage({ pdf, pageNumber, scale, rotation, width, height, marks, areas, searchPatterns, drawingArea, onAreaDrawn, onMarkClick }: PdfPageProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const pageRef = useRef<HTMLDivElement>(null);
  const [layout, setLayout] = useState<{ viewport: PageViewport; starts: number[]; spans: HTMLElement[]; text: string } | null>(null);
  const [boxes, setBoxes] = useState<Box[]>([]);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);

  useEffect(() => {
    let cancelled = false;
    let renderTask: { cancel(): void; promise: Promise<void> } | null = null;
    let textLayer: { cancel(): void } | null = null;
    let release: (() => void) | null = null;
    const container = textRef.current;
    (async () => {
      const pdfjs = await loadPdfJs();
      const page = await pdf.getPage(pageNumber);
      release = () => page.cleanup();
      if (cancelled) return;
      const viewport = page.getViewport({ scale, rotation: (page.rotate + rotation) % 360 });
      const canvas = canvasRef.current!;
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      renderTask = page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
      const content = await page.getTextContent();
      if (cancelled || !container) return;
      container.replaceChildren();
      const layer = new pdfjs.TextLayer({ textContentSource: content, container, viewport });
      textLayer = layer;
      await layer.render();
      if (cancelled) return;
      // Offsets as extractPageTexts counts them: each item's string, then "\n" where the item ends a line.
      const starts: number[] = [];
      let at = 0;
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        starts.push(at);
        text += item.str + (item.hasEOL ? '\n' : '');
        at += item.str.length + (item.hasEOL ? 1 : 0);
      }
      const spans = layer.textDivs;
      spans.forEach((span, index) => spanOffsets.set(span, { page: pageNumber, start: starts[index]!, length: layer.textContentItemsStr[index]!.length }));
      setLayout({ viewport, starts, spans, text });
      await renderTask.promise.catch(() => undefined);
    })().catch(() => undefined);
    return () => {
      cancelled = true;
      renderTask?.cancel();
      textLayer?.cancel();
      container?.replaceChildren();
      release?.();
      setLayout(null);
    };
  }, [pdf, pageNumber, scale, rotation]);

  // Boxes for text marks and search hits, measured from the laid-out text spans.
  useLayoutEffect(() => {
    const page = pageRef.current;
    if (!layout || !page) {
      setBoxes([]);
      return;
    }
    const origin = page.getBoundingClientRect();
    const result: Box[] = [];
    const measure = (key: string, start: number, end: number, className: string, label?: string) => {
      layout.spans.forEach((span, index) => {
        const spanStart = layout.starts[index]!;
        const node = span.firstChild;
        if (!node || !span.isConnected) return;
        const length = node.textContent?.length ?? 0;
        const from = Math.max(start, spanStart) - spanStart;
        const to = Math.min(end, spanStart + length) - spanStart;
        if (to <= from) return;
        const range = document.createRange();
        range.setStart(node, from);
        range.setEnd(node, to);
        for (const rect of range.getClientRects()) {
          result.push({ key: `${key}-${index}-${result.length}`, left: rect.left - origin.left, top: rect.top - origin.top, width: rect.width, height: rect.height, className, label });
        }
      });
    };
    for (const mark of marks) measure(mark.key, mark.start, mark.end, mark.className, mark.label);
    for (const pattern of searchPatterns) {
      for (const match of layout.text.matchAll(pattern)) measure(`hit-${match.index}`, match.index!, match.index! + match[0].length, 'search-hit');
    }
    setBoxes(result);
  }, [layout, marks, searchPatterns]);

  const areaBoxes = layout
    ? areas.map((area) => {
        const [x1, y1, x2, y2] = layout.viewport.convertToViewportRectangle([area.rect.x, area.rect.y, area.rect.x + area.rect.width, area.rect.y + area.rect.height]);
        return { ...area, left: Math.min(x1, x2), top: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
      })
    : [];

  const point = (event: ReactPointerEvent) => {
    const rect = pageRef.current!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  return (
    <div ref={pageRef} className="pdf-page" style={{ width, height, ['--total-scale-factor' as string]: scale }} data-page-number={pageNumber}>
      <canvas ref={canvasRef} className="pdf-canvas" style={{ width, height }} aria-hidden="true" />
      <div className="mark-layer" aria-hidden="true">
        {boxes.map((box) => (
          <div key={box.key} className={`mark ${box.className}`} style={{ left: box.left, top: box.top, width: box.width, height: box.height }} />
        ))}
        {areaBoxes.map((box) => (
          <div key={box.key} className={`mark area ${box.className}`} style={{ left: box.left, top: box.top, width: box.width, height: box.height }} />
        ))}
      </div>
      <div ref={textRef} className="textLayer" />
      {onMarkClick
        ? areaBoxes.map((box) => (
            <button key={`${box.key}-button`} type="button" className="area-button" style={{ left: box.left, top: box.top, width: box.width, height: box.height }} onClick={() => onMarkClick(box.key)}>
              <span className="visually-hidden">{box.label}</span>
            </button>
          ))
        : null}
      {drawingArea ? (
        <div
          className="area-draw"
          onPointerDown={(event) => {
            event.currentTarget.setPointerCapture(event.pointerId);
            const p = point(event);
            setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
          }}
          onPointerMove={(event) => {
            if (!drag) return;
            const p = point(event);
            setDrag({ ...drag, x1: p.x, y1: p.y });
          }}
          onPointerUp={() => {
            if (!drag || !layout) return setDrag(null);
            const [ax, ay] = layout.viewport.convertToPdfPoint(drag.x0, drag.y0);
            const [bx, by] = layout.viewport.convertToPdfPoint(drag.x1, drag.y1);
            setDrag(null);
            const rect = { x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) };
            if (rect.width >= 4 && rect.height >= 4) onAreaDrawn(rect);
          }}
        >
          {drag ? (
            <div className="area-drag" style={{ left: Math.min(drag.x0, drag.x1), top: Math.min(drag.y0, drag.y1), width: Math.abs(drag.x1 - drag.x0), height: Math.abs(drag.y1 - drag.y0) }} />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
