// pdf.js ships no typings for its worker module; the reader only hands the module object back to pdf.js.
declare module 'pdfjs-dist/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
