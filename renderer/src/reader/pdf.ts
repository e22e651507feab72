// pdf.js inside the sandboxed renderer. The CSP forbids eval, and its Trusted Types policy ('none') forbids
// creating a Worker from a URL, so pdf.js runs its worker code in this thread ("fake worker"): the worker module is
// bundled by Vite as an ordinary chunk from the app's origin and handed to pdf.js before the first document.
// Scripting, XFA, WebAssembly decoders and every fetch are off; documents arrive as bytes through the contract,
// so no blob: or data: URL is ever made.
import type { PDFDocumentProxy } from 'pdfjs-dist';

type PdfJs = typeof import('pdfjs-dist');
let loading: Promise<PdfJs> | undefined;

export function loadPdfJs(): Promise<PdfJs> {
  loading ??= (async () => {
    const worker = await import('pdfjs-dist/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
    return import('pdfjs-dist');
  })();
  return loading;
}

export function bytesFromBase64(base64: string): Uint8Array {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64;
  if (fromBase64) return fromBase64(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: bytes,
    // pdf.js 5 compiles nothing with eval; kept false for any build that still reads it.
    ...({ isEvalSupported: false } as object),
    enableXfa: false,
    useWasm: false,
    useSystemFonts: false,
    useWorkerFetch: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    stopAtErrors: false,
    verbosity: 0,
  });
  return task.promise;
}
