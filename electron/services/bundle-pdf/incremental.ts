// Saving changes as a PDF incremental update: the original bytes stay exactly as they were, followed by the new
// and changed objects and a cross-reference section that points back to the old one. A supplement therefore cannot
// alter a page the panel has already read, and anyone can check that by comparing the prefix.
import { PDFDocument, PDFName, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';

export interface UpdateSession {
  doc: PDFDocument;
  original: Uint8Array;
  /** Serialisation of every non-stream object as loaded, to find the ones our changes touched. */
  snapshot: Map<string, { object: PDFObject; bytes: Buffer | undefined }>;
  previousXref: number;
  largestObjectNumber: number;
}

function serialise(object: PDFObject): Buffer {
  const bytes = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
}

function lastStartXref(bytes: Uint8Array): number | undefined {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(Math.max(0, bytes.length - 1024)).toString('latin1');
  const matches = [...tail.matchAll(/startxref\s+(\d+)/g)];
  const value = matches.length > 0 ? Number(matches[matches.length - 1]![1]) : NaN;
  return Number.isSafeInteger(value) && value < bytes.length ? value : undefined;
}

/** Loads a PDF we wrote (classic cross-reference tables, no object streams) for updating. */
export async function openForUpdate(original: Uint8Array): Promise<UpdateSession | undefined> {
  const previousXref = lastStartXref(original);
  if (previousXref === undefined) return undefined;
  const doc = await PDFDocument.load(original, { updateMetadata: false });
  const snapshot = new Map<string, { object: PDFObject; bytes: Buffer | undefined }>();
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    snapshot.set(ref.tag, { object, bytes: object instanceof PDFStream ? undefined : serialise(object) });
  }
  return { doc, original, snapshot, previousXref, largestObjectNumber: doc.context.largestObjectNumber };
}

export async function saveIncremental(session: UpdateSession): Promise<Uint8Array> {
  const { doc } = session;
  await doc.flush();
  const changed: [PDFRef, PDFObject][] = [];
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    const before = session.snapshot.get(ref.tag);
    if (!before || before.object !== object) changed.push([ref, object]);
    else if (before.bytes !== undefined && !before.bytes.equals(serialise(object))) changed.push([ref, object]);
  }
  changed.sort((a, b) => a[0].objectNumber - b[0].objectNumber);

  const chunks: Buffer[] = [];
  let offset = session.original.length;
  const push = (chunk: Buffer) => {
    chunks.push(chunk);
    offset += chunk.length;
  };
  if (session.original[session.original.length - 1] !== 0x0a) push(Buffer.from('\n', 'latin1'));
  const offsets = new Map<number, { offset: number; generation: number }>();
  for (const [ref, object] of changed) {
    offsets.set(ref.objectNumber, { offset, generation: ref.generationNumber });
    push(Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1'));
    push(serialise(object));
    push(Buffer.from('\nendobj\n', 'latin1'));
  }

  const xrefOffset = offset;
  let xref = 'xref\n';
  const numbers = [...offsets.keys()];
  for (let start = 0; start < numbers.length; ) {
    let end = start;
    while (end + 1 < numbers.length && numbers[end + 1] === numbers[end]! + 1) end++;
    xref += `${numbers[start]} ${end - start + 1}\n`;
    for (let index = start; index <= end; index++) {
      const entry = offsets.get(numbers[index]!)!;
      xref += `${String(entry.offset).padStart(10, '0')} ${String(entry.generation).padStart(5, '0')} n \n`;
    }
    start = end + 1;
  }
  const trailerInfo = doc.context.trailerInfo;
  const trailer = doc.context.obj({ Size: doc.context.largestObjectNumber + 1, Prev: session.previousXref });
  if (!trailerInfo.Root) throw new Error('the document has no catalogue');
  trailer.set(PDFName.of('Root'), trailerInfo.Root);
  if (trailerInfo.Info) trailer.set(PDFName.of('Info'), trailerInfo.Info);
  if (trailerInfo.ID) trailer.set(PDFName.of('ID'), trailerInfo.ID);
  push(Buffer.from(`${xref}trailer\n${trailer.toString()}\nstartxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));

  const out = new Uint8Array(offset);
  out.set(session.original, 0);
  let at = session.original.length;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
