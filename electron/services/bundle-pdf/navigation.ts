// Index links, bookmarks (the PDF outline) and page labels: the ways a reader moves around a bundle.
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRef, PDFString, type PDFPage } from 'pdf-lib';

/** Keeps the reader's zoom: XYZ with null left, top and zoom means "this page, as you were". */
function destination(doc: PDFDocument, target: PDFRef): PDFArray {
  return doc.context.obj([target, PDFName.of('XYZ'), PDFNull, PDFNull, PDFNull]);
}

export function addLink(doc: PDFDocument, page: PDFPage, rect: [number, number, number, number], target: PDFRef): void {
  const annot = doc.context.obj({
    Type: 'Annot',
    Subtype: 'Link',
    Rect: rect,
    Border: [0, 0, 0],
    Dest: destination(doc, target),
  });
  page.node.addAnnot(doc.context.register(annot));
}

export interface OutlineNode {
  title: string;
  target: PDFRef;
  children?: OutlineNode[];
}

function createItem(doc: PDFDocument, node: OutlineNode, parent: PDFRef): PDFRef {
  const ref = doc.context.nextRef();
  const dict = doc.context.obj({ Title: PDFHexString.fromText(node.title), Parent: parent, Dest: destination(doc, node.target) });
  doc.context.assign(ref, dict);
  const children = node.children ?? [];
  if (children.length > 0) {
    const childRefs = children.map((child) => createItem(doc, child, ref));
    linkSiblings(doc, childRefs);
    dict.set(PDFName.of('First'), childRefs[0]!);
    dict.set(PDFName.of('Last'), childRefs[childRefs.length - 1]!);
    // Positive: open, so the documents of each section show under it.
    dict.set(PDFName.of('Count'), PDFNumber.of(childRefs.length));
  }
  return ref;
}

function linkSiblings(doc: PDFDocument, refs: PDFRef[]): void {
  refs.forEach((ref, index) => {
    const dict = doc.context.lookup(ref, PDFDict);
    if (index > 0) dict.set(PDFName.of('Prev'), refs[index - 1]!);
    if (index < refs.length - 1) dict.set(PDFName.of('Next'), refs[index + 1]!);
  });
}

function visibleCount(nodes: OutlineNode[]): number {
  return nodes.reduce((total, node) => total + 1 + visibleCount(node.children ?? []), 0);
}

export function setOutline(doc: PDFDocument, nodes: OutlineNode[]): void {
  const rootRef = doc.context.nextRef();
  const refs = nodes.map((node) => createItem(doc, node, rootRef));
  linkSiblings(doc, refs);
  const root = doc.context.obj({ Type: 'Outlines', Count: visibleCount(nodes) });
  if (refs.length > 0) {
    root.set(PDFName.of('First'), refs[0]!);
    root.set(PDFName.of('Last'), refs[refs.length - 1]!);
  }
  doc.context.assign(rootRef, root);
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/** Adds top-level items after the existing ones (a supplement), leaving every existing item as it was. */
export function appendOutline(doc: PDFDocument, nodes: OutlineNode[]): void {
  const existing = doc.context.lookup(doc.catalog.get(PDFName.of('Outlines')));
  if (!(existing instanceof PDFDict)) {
    setOutline(doc, nodes);
    return;
  }
  const rootRef = doc.catalog.get(PDFName.of('Outlines'));
  if (!(rootRef instanceof PDFRef)) throw new Error('outline root is not an indirect object');
  const refs = nodes.map((node) => createItem(doc, node, rootRef));
  linkSiblings(doc, refs);
  const lastRef = existing.get(PDFName.of('Last'));
  if (lastRef instanceof PDFRef && refs.length > 0) {
    doc.context.lookup(lastRef, PDFDict).set(PDFName.of('Next'), refs[0]!);
    doc.context.lookup(refs[0]!, PDFDict).set(PDFName.of('Prev'), lastRef);
  } else if (refs.length > 0) existing.set(PDFName.of('First'), refs[0]!);
  if (refs.length > 0) existing.set(PDFName.of('Last'), refs[refs.length - 1]!);
  const count = existing.get(PDFName.of('Count'));
  existing.set(PDFName.of('Count'), PDFNumber.of((count instanceof PDFNumber ? count.asNumber() : 0) + visibleCount(nodes)));
}

export interface LabelRange {
  /** 0-based index of the range's first page. */
  startIndex: number;
  /** Printed before the number; empty for the main index. */
  prefix: string;
}

/**
 * /PageLabels so a viewer's page box shows "B12" for PDF page 12. Each range is decimal, starting at its own
 * 1-based page number: the label's number always equals the PDF page number.
 */
export function setPageLabels(doc: PDFDocument, ranges: LabelRange[]): void {
  const nums: (PDFNumber | PDFDict)[] = [];
  for (const range of ranges) {
    const dict = doc.context.obj({ S: 'D', St: range.startIndex + 1 });
    if (range.prefix.length > 0) dict.set(PDFName.of('P'), PDFString.of(range.prefix));
    nums.push(PDFNumber.of(range.startIndex), dict);
  }
  doc.catalog.set(PDFName.of('PageLabels'), doc.context.obj({ Nums: nums }));
}

/** Adds one range after the existing ones; earlier pages keep their labels. */
export function appendPageLabelRange(doc: PDFDocument, range: LabelRange): void {
  const labels = doc.context.lookup(doc.catalog.get(PDFName.of('PageLabels')));
  const nums = labels instanceof PDFDict ? doc.context.lookup(labels.get(PDFName.of('Nums'))) : undefined;
  if (!(nums instanceof PDFArray)) {
    setPageLabels(doc, [{ startIndex: 0, prefix: '' }, range]);
    return;
  }
  const dict = doc.context.obj({ S: 'D', St: range.startIndex + 1 });
  if (range.prefix.length > 0) dict.set(PDFName.of('P'), PDFString.of(range.prefix));
  nums.push(PDFNumber.of(range.startIndex));
  nums.push(dict);
}
