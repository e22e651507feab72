// Assembles a real three-section bundle and has independent tools judge it: qpdf (structure, page labels, outline),
// poppler (page count, text on each page, rendering) and pdf.js (link targets, text extraction).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendSupplementary, assembleBundle, extractPageTexts, type AssembledBundle, type BundleInput, type BundleProgress } from '../../electron/services/bundle-pdf/index';
import { tempDir } from '../helpers/temp';
import { PLAIN_EMAIL, makeJpeg, makePng, makeSourcePdf, screenshotPainter } from '../fixtures/bundle-pdf/build';

const SCREENS = join(process.cwd(), 'test-results', 'screens');

async function bundleInput(): Promise<BundleInput> {
  return {
    caseReference: 'DP-2026-014',
    title: 'Hearing bundle: Riverside branch complaint',
    sections: [
      {
        letter: 'A',
        title: 'Procedural documents',
        documents: [
          { id: 'notice', title: 'Notice of hearing', date: '2026-03-10', kind: 'pdf', bytes: await makeSourcePdf({ pages: 2, marker: 'NOTICE' }) },
          {
            id: 'rules',
            title: 'Disputes procedure rules (extract)',
            date: '2026-01-15',
            kind: 'text',
            bytes: new TextEncoder().encode('Rule 1. The panel decides on the papers unless a hearing is requested.\n\tRule 1.1 Indented.\nRule 2. “Quotes”, Józefa and an emoji 😀.\n'),
          },
        ],
      },
      {
        letter: 'B',
        title: 'Evidence of the complainant',
        documents: [
          { id: 'email', title: 'E-mail from Alex Marwood', date: '2026-03-03', kind: 'eml', bytes: new TextEncoder().encode(PLAIN_EMAIL) },
          {
            id: 'shot',
            title: 'Screenshot of post',
            date: '2026-03-01',
            kind: 'image',
            bytes: makePng(390, 844, screenshotPainter(390, 844)),
            capture: { sourceUrl: 'https://social.example.net/riverside-branch/posts/1234567890', capturedAt: '2026-03-01T21:07:00Z', capturedBy: 'Sam Okafor (clerk)' },
          },
          { id: 'photo', title: 'Photo of the notice board', date: 'Early March 2026, exact day not known', kind: 'image', bytes: await makeJpeg(300, 200, 6) },
        ],
      },
      {
        letter: 'C',
        title: 'Response of the respondent',
        documents: [{ id: 'response', title: 'Written response', date: '2026-03-12', kind: 'pdf', bytes: await makeSourcePdf({ pages: 3, marker: 'RESPONSE', rotate: 90 }) }],
      },
    ],
  };
}

function run(tool: string, args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function pageText(file: string, page: number): string {
  return run('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-']);
}

interface QpdfOutline {
  title: string;
  destpageposfrom1: number;
  kids: QpdfOutline[];
}

let dir: ReturnType<typeof tempDir>;
let input: BundleInput;
let bundle: AssembledBundle;
let file: string;
const progress: BundleProgress[] = [];

beforeAll(async () => {
  dir = tempDir('hd-bundle-pdf-');
  input = await bundleInput();
  bundle = await assembleBundle(input, { onProgress: (event) => progress.push(event) });
  file = join(dir.path, 'bundle.pdf');
  writeFileSync(file, bundle.pdf);
});
afterAll(() => dir.cleanup());

describe('assembleBundle', () => {
  it('writes a structurally valid PDF with the expected page count', () => {
    expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors found');
    expect(run('pdfinfo', [file])).toMatch(/^Pages:\s+10$/m);
    expect(bundle.pageCount).toBe(10);
  });

  it('labels every page with its section letter and PDF page number, bottom right, with the case reference', () => {
    expect(bundle.labels).toEqual(['1', 'A2', 'A3', 'A4', 'B5', 'B6', 'B7', 'C8', 'C9', 'C10']);
    bundle.labels.forEach((label, index) => {
      const text = pageText(file, index + 1);
      if (label.startsWith('C')) {
        // The response's pages carry /Rotate 90: poppler lists the strip's two texts as separate lines.
        expect(text).toMatch(new RegExp(`^\\s*${label}\\s*$`, 'm'));
        expect(text).toMatch(/^\s*DP-2026-014\s*$/m);
      } else expect(text).toMatch(new RegExp(`^\\s*DP-2026-014\\s+${label}\\s*$`, 'm'));
    });
  });

  it('places each document on the pages its entry names', () => {
    const byId = Object.fromEntries(bundle.documents.map((document) => [document.id, document]));
    expect(byId.notice).toMatchObject({ firstPage: 2, lastPage: 3, firstLabel: 'A2', lastLabel: 'A3', section: 'A' });
    expect(byId.response).toMatchObject({ firstPage: 8, lastPage: 10, firstLabel: 'C8', lastLabel: 'C10' });
    expect(pageText(file, 2)).toContain('NOTICE page 1');
    expect(pageText(file, 3)).toContain('NOTICE page 2');
    expect(pageText(file, 4)).toContain('Rule 1.1 Indented.');
    expect(pageText(file, 4)).toContain('1 character that the bundle\'s font cannot show (such as emoji) appears as "?"');
    expect(pageText(file, 5)).toMatch(/Subject\s+Complaint about the Riverside branch meeting – follow-up/);
    expect(pageText(file, 5)).toMatch(/minutes\.pdf\s+\(application\/pdf, 35 bytes\)/);
    expect(pageText(file, 6)).toContain('https://social.example.net/riverside-branch/posts/1234567890');
    expect(pageText(file, 6)).toMatch(/Captured\s+1 Mar 2026, 21:07:00 \(UTC\)/);
    expect(pageText(file, 10)).toContain('RESPONSE page 3');
    expect(byId.shot!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prints an index whose rows carry the page ranges of the documents', () => {
    const index = pageText(file, 1);
    for (const document of bundle.documents) {
      const range = document.firstLabel === document.lastLabel ? document.firstLabel : `${document.firstLabel}–${document.lastLabel}`;
      expect(index).toMatch(new RegExp(`${document.title.replace(/[()]/g, '\\$&')}.*\\s${range}\\s*$`, 'm'));
    }
    expect(index).toMatch(/B\s+Evidence of the complainant\s+B5–B7/);
  });

  it('links every index row to its first page (read back with pdf.js)', async () => {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const document = await pdfjs.getDocument({ data: new Uint8Array(bundle.pdf), useWasm: false, disableFontFace: true, verbosity: 0 }).promise;
    try {
      const annotations = await (await document.getPage(1)).getAnnotations();
      const targets: number[] = [];
      for (const annotation of annotations) {
        expect(annotation.subtype).toBe('Link');
        targets.push((await document.getPageIndex(annotation.dest[0])) + 1);
      }
      // Section A, its two documents, section B, its three, section C, its one.
      expect(targets).toEqual([2, 2, 4, 5, 5, 6, 7, 8, 8]);
    } finally {
      await document.destroy();
    }
  });

  it('writes page labels and an outline with page numbers in the titles (read back with qpdf)', () => {
    const json = JSON.parse(run('qpdf', ['--json', '--json-key=pagelabels', '--json-key=outlines', file])) as {
      pagelabels: { index: number; label: Record<string, unknown> }[];
      outlines: QpdfOutline[];
    };
    expect(json.pagelabels.map((entry) => [entry.index, entry.label['/P'] ?? '', entry.label['/St']])).toEqual([
      [0, '', 1],
      [1, 'u:A', 2],
      [4, 'u:B', 5],
      [7, 'u:C', 8],
    ]);
    const flat = json.outlines.map((item) => [item.title, item.destpageposfrom1, item.kids.map((kid) => [kid.title, kid.destpageposfrom1])]);
    expect(flat).toEqual([
      ['1 Index', 1, []],
      ['A2–A4 Section A: Procedural documents', 2, [['A2–A3 Notice of hearing', 2], ['A4 Disputes procedure rules (extract)', 4]]],
      ['B5–B7 Section B: Evidence of the complainant', 5, [['B5 E-mail from Alex Marwood', 5], ['B6 Screenshot of post', 6], ['B7 Photo of the notice board', 7]]],
      ['C8–C10 Section C: Response of the respondent', 8, [['C8–C10 Written response', 8]]],
    ]);
  });

  it('gives the same bytes for the same input when no creation date is given', async () => {
    const again = await assembleBundle(await bundleInput());
    expect(Buffer.from(again.pdf).equals(Buffer.from(bundle.pdf))).toBe(true);
    const dated = await assembleBundle(await bundleInput(), { createdAt: new Date('2026-03-14T10:00:00Z') });
    expect(Buffer.from(dated.pdf).equals(Buffer.from(bundle.pdf))).toBe(false);
  });

  it('reports progress through every phase, ending with the save', () => {
    const phases = [...new Set(progress.map((event) => event.phase))];
    expect(phases).toEqual(['convert', 'index', 'stamp', 'save']);
    expect(progress.filter((event) => event.phase === 'convert').at(-1)).toEqual({ phase: 'convert', done: 6, total: 6 });
    expect(progress.at(-1)).toEqual({ phase: 'save', done: 1, total: 1 });
  });

  it('stops with an aborted error when the signal fires', async () => {
    const controller = new AbortController();
    const pending = assembleBundle(await bundleInput(), {
      signal: controller.signal,
      onProgress: (event) => {
        if (event.phase === 'convert' && event.done === 2) controller.abort();
      },
    });
    await expect(pending).rejects.toMatchObject({ name: 'BundlePdfError', code: 'aborted' });
  });

  it('extracts per-page text for search', async () => {
    const texts = await extractPageTexts(bundle.pdf);
    expect(texts).toHaveLength(10);
    texts.forEach((text, index) => expect(text).toContain(bundle.labels[index]!));
    expect(texts[1]).toContain('NOTICE page 1');
    expect(texts[4]).toContain('Dear Panel,');
  });

  it('renders a clean index page and image page (screenshots for review)', () => {
    mkdirSync(SCREENS, { recursive: true });
    run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, join(SCREENS, 'bundle-index')]);
    run('pdftoppm', ['-png', '-r', '60', '-f', '6', '-l', '6', '-singlefile', file, join(SCREENS, 'bundle-image-page')]);
    run('pdftoppm', ['-png', '-r', '60', '-f', '8', '-l', '8', '-singlefile', file, join(SCREENS, 'bundle-rotated-pdf-page')]);
  });

  it('shows an EXIF-rotated photo upright (orientation 6: the stored left edge is displayed at the top)', () => {
    // Render page 7 as greyscale PGM and compare the top and bottom of the picture: green (light) must be on top.
    const out = join(dir.path, 'photo');
    run('pdftoppm', ['-gray', '-r', '30', '-f', '7', '-l', '7', '-singlefile', file, out]);
    const pgm = execFileSync('cat', [`${out}.pgm`]);
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40))!;
    const [width, height] = [Number(header[1]), Number(header[2])];
    const pixels = pgm.subarray(header[0].length);
    const at = (x: number, y: number) => pixels[Math.round(y * height) * width + Math.round(x * width)]!;
    // The image occupies the upper middle of the page: sample within it near its top and near its bottom.
    expect(at(0.5, 0.15)).toBeGreaterThan(80); // green
    expect(at(0.5, 0.55)).toBeLessThan(40); // black
  });
});

describe('appendSupplementary', () => {
  let supplemented: AssembledBundle;
  let supplementFile: string;

  beforeAll(async () => {
    supplemented = await appendSupplementary(bundle, {
      letter: 'D',
      title: 'Late evidence',
      documents: [
        { id: 'late-statement', title: 'Late statement of the branch secretary', date: '2026-03-13', kind: 'text', bytes: new TextEncoder().encode('I was present at the meeting.') },
        { id: 'late-minutes', title: 'Minutes (corrected)', kind: 'pdf', bytes: await makeSourcePdf({ pages: 2, marker: 'CORRECTED' }) },
      ],
    });
    supplementFile = join(dir.path, 'supplemented.pdf');
    writeFileSync(supplementFile, supplemented.pdf);
  });

  it('keeps the original file as an unchanged prefix and stays valid', () => {
    expect(Buffer.from(supplemented.pdf.subarray(0, bundle.pdf.length)).equals(Buffer.from(bundle.pdf))).toBe(true);
    expect(run('qpdf', ['--check', supplementFile])).toContain('No syntax or stream encoding errors found');
    expect(run('pdfinfo', [supplementFile])).toMatch(/^Pages:\s+14$/m);
  });

  it('continues the numbering without renumbering earlier pages', () => {
    expect(supplemented.labels).toEqual([...bundle.labels, 'D11', 'D12', 'D13', 'D14']);
    for (let page = 1; page <= bundle.pageCount; page++) expect(pageText(supplementFile, page)).toBe(pageText(file, page));
    expect(pageText(supplementFile, 11)).toMatch(/Late statement of the branch secretary\s+13 Mar 2026\s+D12/);
    expect(pageText(supplementFile, 11)).toMatch(/Minutes \(corrected\)\s+D13–D14/);
    expect(pageText(supplementFile, 14)).toMatch(/DP-2026-014\s+D14\s*$/);
    expect(supplemented.documents.at(-1)).toMatchObject({ id: 'late-minutes', firstLabel: 'D13', lastLabel: 'D14', section: 'D' });
    expect(supplemented.sections.at(-1)).toMatchObject({ letter: 'D', firstPage: 11, lastPage: 14, supplementary: true });
  });

  it('adds the section to the outline and page labels', () => {
    const json = JSON.parse(run('qpdf', ['--json', '--json-key=pagelabels', '--json-key=outlines', supplementFile])) as {
      pagelabels: { index: number; label: Record<string, unknown> }[];
      outlines: QpdfOutline[];
    };
    expect(json.pagelabels.at(-1)).toEqual({ index: 10, label: { '/P': 'u:D', '/S': '/D', '/St': 11 } });
    expect(json.outlines).toHaveLength(5);
    const last = json.outlines.at(-1)!;
    expect([last.title, last.destpageposfrom1]).toEqual(['D11–D14 Section D (supplementary): Late evidence', 11]);
    expect(last.kids.map((kid) => [kid.title, kid.destpageposfrom1])).toEqual([
      ['D12 Late statement of the branch secretary', 12],
      ['D13–D14 Minutes (corrected)', 13],
    ]);
  });

  it('can be supplemented again, and refuses a letter or id already used', async () => {
    const twice = await appendSupplementary(supplemented, { letter: 'E', title: 'Further late evidence', documents: [{ id: 'e1', title: 'Note', kind: 'text', bytes: new TextEncoder().encode('Note.') }] });
    expect(twice.labels.slice(-2)).toEqual(['E15', 'E16']);
    const twiceFile = join(dir.path, 'twice.pdf');
    writeFileSync(twiceFile, twice.pdf);
    expect(run('qpdf', ['--check', twiceFile])).toContain('No syntax or stream encoding errors found');
    await expect(appendSupplementary(supplemented, { letter: 'B', title: 'Again', documents: [] })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(
      appendSupplementary(supplemented, { letter: 'F', title: 'Dup', documents: [{ id: 'notice', title: 'Dup', kind: 'text', bytes: new Uint8Array(1) }] }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('refuses a bundle record that does not match its file', async () => {
    await expect(appendSupplementary({ ...bundle, pageCount: 9 }, { letter: 'D', title: 'X', documents: [] })).rejects.toMatchObject({ code: 'bundle-mismatch' });
    await expect(appendSupplementary({ ...bundle, pdf: new Uint8Array([1, 2, 3]) }, { letter: 'D', title: 'X', documents: [] })).rejects.toMatchObject({ code: 'bundle-mismatch' });
  });
});

describe('a long index', () => {
  it('takes as many pages as it needs and every number still matches', async () => {
    const sections = ['A', 'B', 'C'].map((letter, sectionIndex) => ({
      letter,
      title: `Section ${letter} of the long bundle`,
      documents: Array.from({ length: 60 }, (_, index) => ({
        id: `${letter}-${index}`,
        title: index % 7 === 0 ? `Statement ${index + 1} of a member of the Northfield branch about the events of the evening, with exhibits` : `Statement ${index + 1}`,
        date: `2026-02-${String((index % 28) + 1).padStart(2, '0')}`,
        kind: 'text' as const,
        bytes: new TextEncoder().encode(`Statement ${sectionIndex}-${index}.\n`.repeat(1 + (index % 3) * 40)),
      })),
    }));
    const long = await assembleBundle({ caseReference: 'DP-2026-077', sections });
    const longFile = join(dir.path, 'long.pdf');
    writeFileSync(longFile, long.pdf);
    expect(run('qpdf', ['--check', longFile])).toContain('No syntax or stream encoding errors found');
    const indexPages = long.labels.findIndex((label) => label.startsWith('A'));
    expect(indexPages).toBeGreaterThan(2);
    expect(long.documents[0]!.firstLabel).toBe(`A${indexPages + 1}`);
    const indexText = Array.from({ length: indexPages }, (_, page) => pageText(longFile, page + 1)).join('\n');
    for (const document of long.documents) {
      const range = document.firstLabel === document.lastLabel ? document.firstLabel : `${document.firstLabel}–${document.lastLabel}`;
      expect(indexText).toMatch(new RegExp(`\\s${range}\\s*$`, 'm'));
      expect(pageText(longFile, document.firstPage)).toContain(document.title.slice(0, 30));
    }
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const reader = await pdfjs.getDocument({ data: new Uint8Array(long.pdf), useWasm: false, disableFontFace: true, verbosity: 0 }).promise;
    try {
      const targets: number[] = [];
      for (let page = 1; page <= indexPages; page++) {
        for (const annotation of await (await reader.getPage(page)).getAnnotations()) targets.push((await reader.getPageIndex(annotation.dest[0])) + 1);
      }
      const expected = sections.flatMap((section) => {
        const own = long.documents.filter((document) => document.section === section.letter);
        return [own[0]!.firstPage, ...own.map((document) => document.firstPage)];
      });
      expect(targets).toEqual(expected);
    } finally {
      await reader.destroy();
    }
    run('pdftoppm', ['-png', '-r', '60', '-f', '2', '-l', '2', '-singlefile', longFile, join(SCREENS, 'bundle-index-continued')]);
  });
});
