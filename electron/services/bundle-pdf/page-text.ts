// Per-page text of a bundle for search indexing. pdf.js runs in-process with everything active switched off:
// no worker thread, no eval of font programs, no font or range fetching, no scripting, no XFA.
import { BundlePdfError, describeCause } from './errors';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsPromise: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= (async () => {
    // Handing pdf.js its worker module up front makes its in-process ("fake") worker use it instead of resolving a
    // worker file path at run time, which breaks once the main process is bundled.
    const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return pdfjsPromise;
}

interface TextItemLike {
  str?: unknown;
  hasEOL?: unknown;
}

/** One string per page, index 0 = page 1; lines end with "\n". Throws BundlePdfError pdf-encrypted / pdf-malformed. */
export async function extractPageTexts(pdfBytes: Uint8Array): Promise<string[]> {
  const pdfjs = await loadPdfJs();
  // pdf.js takes ownership of (detaches) the buffer it is given, so it gets a copy.
  const data = new Uint8Array(pdfBytes);
  const task = pdfjs.getDocument({
    data,
    // pdf.js 5 no longer compiles fonts with eval and dropped this option; it is kept for any older copy resolved at run time.
    ...({ isEvalSupported: false } as object),
    useWasm: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    enableXfa: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let document;
  try {
    document = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') throw new BundlePdfError('pdf-encrypted', 'The PDF is password-protected, so its text cannot be read.');
    throw new BundlePdfError('pdf-malformed', 'The PDF is damaged, so its text cannot be read.', { cause: describeCause(error) });
  }
  try {
    const texts: string[] = [];
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber++) {
      const page = await document.getPage(pageNumber);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items as TextItemLike[]) {
        if (typeof item.str === 'string') text += item.str;
        if (item.hasEOL === true) text += '\n';
      }
      texts.push(text);
      page.cleanup();
    }
    return texts;
  } catch (error) {
    throw new BundlePdfError('pdf-malformed', 'The PDF is damaged, so its text cannot be read.', { cause: describeCause(error) });
  } finally {
    await document.destroy();
  }
}
