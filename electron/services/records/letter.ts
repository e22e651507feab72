// The decision letter: the outcome record as a formal letter a respondent, complainant or appeal body can read,
// with the record itself attached (outcome-record.json, canonical JSON) so the text and the signed data travel
// together. It is built unsigned; signPdfPades (pades.ts) adds the chair's PDF signature afterwards.
//
// Layout reuses the bundle's text helpers (WinAnsi sanitising, measuring, greedy wrapping) but has its own
// writer: a letter needs headings kept with what follows, table rows and signature entries that never split
// across a page break, and a "Page n of N" footer drawn once the page count is known.
import { AFRelationship, PDFDocument, PDFName, PDFString, StandardFonts, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import { z } from 'zod';
import { canonicalize } from '../../../shared/canonical-json';
import { CaseReference, ComplaintType, CriteriaReference, DecidingBody, ParticipantId } from '../../../shared/domain/case';
import { IsoDate, Slug } from '../../../shared/domain/common';
import type { CriteriaDocument } from '../../../shared/domain/criteria';
import { AllegationFinding, FactorAssessment, SanctionParameterValue } from '../../../shared/domain/decision';
import { Fingerprint, ParticipantRole, PersonName, ROLE_LABELS } from '../../../shared/domain/profile';
import { AppError } from '../../../shared/errors';
import { A4, INK, MARGINS, MUTED, RULE, TextMeasurer, wrapParagraph } from '../bundle-pdf/layout';
import { toWinAnsi } from '../bundle-pdf/winansi';

export const LETTER_ATTACHMENT_NAME = 'outcome-record.json';
const DEFAULT_MAX_PAGES = 400;

// ---------------------------------------------------------------------------------------------------------
// Input: the fields of the outcome record the letter shows. Validated loosely (unknown fields are kept in the
// attachment, never dropped or refused) so the letter follows the record format rather than constraining it.

const LetterText = z.string().max(20_000);

export const DecisionLetterRecord = z.looseObject({
  caseReference: CaseReference,
  decidingBody: DecidingBody,
  complaintType: ComplaintType.nullable().optional(),
  respondent: z.looseObject({ pseudonym: z.string().min(1).max(60) }).optional(),
  dates: z.looseObject({
    complaintReceived: IsoDate.nullable().optional(),
    hearing: IsoDate.nullable().optional(),
    decision: IsoDate,
  }),
  participants: z
    .array(z.looseObject({ id: ParticipantId, name: PersonName, role: ParticipantRole, fingerprint: Fingerprint }))
    .min(1)
    .max(100),
  criteria: CriteriaReference,
  allegations: z
    .array(
      z.looseObject({
        number: z.int().min(1).max(10_000),
        text: LetterText,
        ruleReference: z.string().max(200),
        conductCategoryId: Slug,
        finding: AllegationFinding,
        reasons: LetterText,
      }),
    )
    .min(1)
    .max(500),
  seriousness: z
    .looseObject({
      band: Slug.nullable(),
      culpability: LetterText,
      harm: LetterText,
      aggravating: FactorAssessment,
      mitigating: FactorAssessment,
      hostilityNotAggravatingReason: LetterText.optional(),
    })
    .nullable(),
  sanction: z
    .looseObject({
      rungId: Slug,
      parameters: z.record(Slug, SanctionParameterValue),
      lesserRungReasons: z.record(Slug, LetterText).optional(),
      nextRungReason: LetterText.optional(),
      departureReason: LetterText.optional(),
    })
    .nullable(),
  orders: z.looseObject({
    educationCourse: z.looseObject({ dueDate: IsoDate }).nullable(),
    referral: z.looseObject({ to: z.string().min(1).max(200), reason: LetterText }).nullable().optional(),
  }),
});
export type DecisionLetterRecord = z.infer<typeof DecisionLetterRecord>;

const SignedAt = z.union([IsoDate, z.iso.datetime({ offset: true })]);

export interface LetterSignature {
  /** The signer's Hearing Desk fingerprint; must be a participant of the record. */
  fingerprint: string;
  purpose: 'decision' | 'attest-advice' | 'attest-record';
  /** When the signature was made (ISO date or date-time), if known. */
  signedAt?: string;
}

export interface DecisionLetterOptions {
  /** The criteria the record names: gives the ladder, bands, categories and factors their published labels. */
  criteria: CriteriaDocument;
  /** The Ed25519 signatures on the record, in the order to list them. */
  signatures: readonly LetterSignature[];
  /** How to appeal; a default that points to the published procedure is used when absent. */
  appealRoute?: string;
  /** The letter's creation time (PDF metadata and the attachment's dates). */
  createdAt: Date;
  maxPages?: number;
}

export interface DecisionLetter {
  pdf: Uint8Array;
  /** The exact bytes attached as outcome-record.json. */
  canonicalRecord: Uint8Array;
  pageCount: number;
  /** Characters the standard fonts cannot show, printed as '?' (the attachment keeps the originals). */
  substitutedCharacters: number;
}

export type DecisionLetterErrorCode = 'letter-record-invalid' | 'letter-criteria-mismatch' | 'letter-unknown-signer' | 'letter-too-long';

export class DecisionLetterError extends AppError {
  declare readonly code: DecisionLetterErrorCode;
  constructor(code: DecisionLetterErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'DecisionLetterError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Wording

const BODY_NAMES: Record<DecidingBody, string> = {
  'nec-panel': 'NEC Disputes Panel',
  ncc: 'National Constitutional Committee',
  'independent-panel': 'Independent Panel',
};

const FINDING_LABELS: Record<AllegationFinding, string> = { proven: 'Proven', 'not-proven': 'Not proven', withdrawn: 'Withdrawn' };

const COMPLAINT_TYPE_LABELS: Record<ComplaintType, string> = {
  'social-media': 'Social media',
  'verbal-comment-in-meeting': 'Verbal comment in a meeting',
  'written-communication': 'Written communication',
  'conduct-at-event': 'Conduct at an event',
  other: 'Other',
};

const PURPOSE_LABELS: Record<LetterSignature['purpose'], string> = {
  decision: 'Signed the decision',
  'attest-advice': 'Attested the legal advice recorded',
  'attest-record': 'Attested the record',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "27 April 2026", independent of the machine's locale. */
export function longDate(date: string): string {
  const [year, month, day] = date.slice(0, 10).split('-').map(Number);
  return `${day} ${MONTHS[month! - 1]} ${year}`;
}

function defaultAppealRoute(record: DecisionLetterRecord, criteria: CriteriaDocument): string {
  return (
    `This decision may be appealed only as the appeal procedure published with the criteria applied (${criteria.title}, ` +
    `version ${criteria.version}) allows, on the grounds and within the time that procedure sets. An appeal must quote the ` +
    `case reference ${record.caseReference} and be sent in writing to the office that sent this letter. The outcome ` +
    `record attached to this PDF is the authoritative text of the decision; an appeal body can check its signatures.`
  );
}

// ---------------------------------------------------------------------------------------------------------

export async function buildDecisionLetter(record: DecisionLetterRecord, options: DecisionLetterOptions): Promise<DecisionLetter> {
  const parsed = DecisionLetterRecord.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || 'the record';
    throw new DecisionLetterError('letter-record-invalid', `The outcome record cannot be made into a letter: ${where}: ${issue.message}`, {
      path: issue.path,
    });
  }
  const data = parsed.data;
  const { criteria } = options;
  if (criteria.id !== data.criteria.id || criteria.version !== data.criteria.version) {
    throw new DecisionLetterError(
      'letter-criteria-mismatch',
      `The record was decided under criteria ${data.criteria.id} ${data.criteria.version}, but ${criteria.id} ${criteria.version} was given for its labels.`,
    );
  }
  const participantsByFingerprint = new Map(data.participants.map((participant) => [participant.fingerprint, participant]));
  const listed = new Set<string>();
  for (const signature of options.signatures) {
    if (!participantsByFingerprint.has(signature.fingerprint)) {
      throw new DecisionLetterError('letter-unknown-signer', `The signature by ${signature.fingerprint} is not by a participant named in the record.`);
    }
    if (signature.signedAt !== undefined && !SignedAt.safeParse(signature.signedAt).success) {
      throw new DecisionLetterError('letter-record-invalid', `The signature by ${signature.fingerprint} has no valid date ("${String(signature.signedAt).slice(0, 40)}").`);
    }
    const key = `${signature.fingerprint} ${signature.purpose}`;
    if (listed.has(key)) throw new DecisionLetterError('letter-record-invalid', `The signature by ${signature.fingerprint} is listed twice.`);
    listed.add(key);
  }
  // The attachment is the record as given (every field, canonical form), not the subset the letter reads.
  const canonicalRecord = new Uint8Array(Buffer.from(canonicalize(record), 'utf8'));

  const doc = await PDFDocument.create({ updateMetadata: false });
  const bodyName = BODY_NAMES[data.decidingBody];
  const title = `Decision of the ${bodyName}`;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const writer = new LetterWriter(doc, {
    regular: doc.embedStandardFont(StandardFonts.Helvetica),
    bold: doc.embedStandardFont(StandardFonts.HelveticaBold),
    italic: doc.embedStandardFont(StandardFonts.HelveticaOblique),
    mono: doc.embedStandardFont(StandardFonts.Courier),
  }, () => {
    throw new DecisionLetterError('letter-too-long', `The letter would run to more than ${maxPages} pages.`, { maxPages });
  }, maxPages);

  writeLetterhead(writer, data, title, criteria);
  writeOutcome(writer, data, criteria);
  writePanel(writer, data);
  writeAllegations(writer, data, criteria);
  writeSeriousness(writer, data, criteria);
  writeSanction(writer, data, criteria);
  writeOrders(writer, data);
  writer.heading('Right of appeal');
  writer.paragraphs(options.appealRoute ?? defaultAppealRoute(data, criteria), writer.styles.body);
  writeSignatures(writer, options.signatures, participantsByFingerprint);

  const pages = writer.finish();
  const footerLeft = `${data.caseReference}  ·  ${title}`;
  pages.forEach((page, index) => writer.footer(page, footerLeft, `Page ${index + 1} of ${pages.length}`));

  await doc.attach(canonicalRecord, LETTER_ATTACHMENT_NAME, {
    mimeType: 'application/json',
    description: 'The outcome record in canonical JSON (RFC 8785): the exact bytes the panel signed.',
    creationDate: options.createdAt,
    modificationDate: options.createdAt,
    afRelationship: AFRelationship.Source,
  });
  doc.setTitle(`${title}: ${data.caseReference}`, { showInWindowTitleBar: true });
  doc.setSubject(`Findings, sanction and orders in case ${data.caseReference}`);
  doc.setAuthor(bodyName);
  doc.setCreator('Hearing Desk');
  doc.setProducer('Hearing Desk (pdf-lib)');
  doc.setCreationDate(options.createdAt);
  doc.setModificationDate(options.createdAt);
  doc.catalog.set(PDFName.of('Lang'), PDFString.of('en-GB'));

  const pdf = await doc.save({ useObjectStreams: false });
  return { pdf, canonicalRecord, pageCount: pages.length, substitutedCharacters: writer.substituted };
}

// ---------------------------------------------------------------------------------------------------------
// Sections

function writeLetterhead(writer: LetterWriter, record: DecisionLetterRecord, title: string, criteria: CriteriaDocument): void {
  const { styles } = writer;
  writer.paragraph(BODY_NAMES[record.decidingBody].toUpperCase(), styles.kicker);
  writer.space(4);
  writer.paragraph(title, styles.title);
  writer.space(2);
  writer.paragraph(`Case ${record.caseReference}`, styles.subtitle);
  writer.space(10);
  writer.rule(ACCENT, 1.2);
  writer.space(10);
  const rows: [string, string][] = [['Case reference', record.caseReference]];
  if (record.respondent) rows.push(['Respondent', record.respondent.pseudonym]);
  if (record.complaintType) rows.push(['Complaint type', COMPLAINT_TYPE_LABELS[record.complaintType]]);
  if (record.dates.complaintReceived) rows.push(['Complaint received', longDate(record.dates.complaintReceived)]);
  if (record.dates.hearing) rows.push(['Hearing', longDate(record.dates.hearing)]);
  rows.push(['Decision', longDate(record.dates.decision)]);
  rows.push(['Criteria applied', `${criteria.title}, version ${criteria.version}`]);
  for (const [label, value] of rows) writer.field(label, value);
}

/** "1, 2 and 4" */
function numberList(numbers: readonly number[]): string {
  return numbers.length === 1 ? String(numbers[0]) : `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}

/** The sanction's parameters as label and shown value ("Term", "6 months"), in the criteria's order. */
function sanctionParameters(sanction: NonNullable<DecisionLetterRecord['sanction']>, criteria: CriteriaDocument): [string, string][] {
  const rung = criteria.ladder.find((entry) => entry.id === sanction.rungId);
  const known = rung?.parameters.map((parameter) => parameter.id) ?? [];
  const ids = Object.keys(sanction.parameters).sort((a, b) => (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99));
  return ids.map((id) => {
    const value = sanction.parameters[id]!;
    const parameter = rung?.parameters.find((entry) => entry.id === id);
    let shown = String(value);
    if (parameter?.kind === 'term' && typeof value === 'number') shown = `${value} ${value === 1 ? parameter.unit.replace(/s$/, '') : parameter.unit}`;
    if (parameter?.kind === 'choice') shown = parameter.options.find((option) => option.id === value)?.label ?? shown;
    return [parameter?.label ?? id, shown];
  });
}

/** The decision at a glance, before the detail: findings, sanction, orders. */
function writeOutcome(writer: LetterWriter, record: DecisionLetterRecord, criteria: CriteriaDocument): void {
  writer.heading('Outcome');
  const byFinding = new Map<string, number[]>();
  for (const allegation of [...record.allegations].sort((a, b) => a.number - b.number)) {
    const list = byFinding.get(allegation.finding) ?? [];
    list.push(allegation.number);
    byFinding.set(allegation.finding, list);
  }
  const findings = (['proven', 'not-proven', 'withdrawn'] as const)
    .filter((finding) => byFinding.has(finding))
    .map((finding) => {
      const numbers = byFinding.get(finding)!;
      return `${numbers.length === 1 ? 'Allegation' : 'Allegations'} ${numberList(numbers)} ${FINDING_LABELS[finding].toLowerCase()}.`;
    });
  writer.labelledParagraphs('Findings', findings.join('\n'), 0);
  const { sanction } = record;
  const rung = sanction && criteria.ladder.find((entry) => entry.id === sanction.rungId);
  const parameters = sanction ? sanctionParameters(sanction, criteria).map(([label, value]) => `${label.toLowerCase()} ${value}`) : [];
  writer.labelledParagraphs(
    'Sanction',
    sanction ? `${rung?.label ?? sanction.rungId}${parameters.length ? ` (${parameters.join('; ')})` : ''}.` : 'None.',
  );
  const { educationCourse, referral } = record.orders;
  const orders = [
    ...(educationCourse ? [`Education course to be completed by ${longDate(educationCourse.dueDate)}.`] : []),
    ...(referral ? [`Referral to ${referral.to}.`] : []),
  ];
  writer.labelledParagraphs('Orders', orders.length ? orders.join('\n') : 'None.', 0);
}

const PANEL_ORDER: Record<string, number> = { chair: 0, panellist: 1, 'external-lawyer': 2, clerk: 3, 'central-office': 4 };

function writePanel(writer: LetterWriter, record: DecisionLetterRecord): void {
  const { styles } = writer;
  writer.heading('Panel and participants');
  const people = [...record.participants].sort((a, b) => (PANEL_ORDER[a.role] ?? 9) - (PANEL_ORDER[b.role] ?? 9));
  const columns = writer.columns([0.44, 0.22, 0.34]);
  writer.row([
    { text: 'Name', style: styles.tableHead, ...columns[0]! },
    { text: 'Role', style: styles.tableHead, ...columns[1]! },
    { text: 'Fingerprint', style: styles.tableHead, ...columns[2]! },
  ]);
  writer.rule(RULE, 0.5, 3);
  for (const person of people) {
    writer.row([
      { text: person.name, style: styles.body, ...columns[0]! },
      { text: ROLE_LABELS[person.role], style: styles.body, ...columns[1]! },
      { text: person.fingerprint, style: styles.mono, ...columns[2]! },
    ]);
  }
}

function writeAllegations(writer: LetterWriter, record: DecisionLetterRecord, criteria: CriteriaDocument): void {
  const { styles } = writer;
  const categories = new Map(criteria.conductCategories.map((category) => [category.id, category.label]));
  writer.heading('Allegations and findings');
  const sorted = [...record.allegations].sort((a, b) => a.number - b.number);
  sorted.forEach((allegation, index) => {
    if (index > 0) writer.space(10);
    // The allegation's title, its finding and the start of its text stay together on one page.
    writer.keepTogether(styles.subheading.size * 1.4 + styles.body.size * 1.45 * 4);
    writer.paragraph(`Allegation ${allegation.number}`, styles.subheading);
    const category = categories.get(allegation.conductCategoryId) ?? allegation.conductCategoryId;
    writer.paragraph(`${category}  ·  ${allegation.ruleReference}`, styles.meta);
    writer.space(3);
    writer.paragraphs(allegation.text, styles.body);
    writer.space(4);
    writer.labelled('Finding', FINDING_LABELS[allegation.finding], styles.bodyBold);
    writer.labelledParagraphs('Reasons', allegation.reasons.trim() || 'No reasons recorded.');
  });
}

/** One line per factor ("Wide audience or reach: about 800 followers."), as paragraphs for labelledParagraphs. */
function factorText(assessment: z.infer<typeof FactorAssessment>, labels: Map<string, string>): string {
  if (assessment === null) return 'Not assessed.';
  if (assessment === 'none' || assessment.length === 0) return 'None.';
  return assessment
    .map((entry) => {
      const label = labels.get(entry.factorId) ?? entry.factorId;
      const note = entry.note?.trim().replace(/\s+/g, ' ');
      return note ? `${label}: ${note}` : label;
    })
    .join('\n');
}

function writeSeriousness(writer: LetterWriter, record: DecisionLetterRecord, criteria: CriteriaDocument): void {
  const { seriousness } = record;
  if (!seriousness) return;
  writer.heading('Seriousness');
  const band = criteria.seriousnessBands.find((entry) => entry.id === seriousness.band);
  writer.labelled('Seriousness', band ? band.label : seriousness.band ?? 'Not assessed', writer.styles.bodyBold);
  if (seriousness.culpability.trim()) writer.labelledParagraphs('Culpability', seriousness.culpability);
  if (seriousness.harm.trim()) writer.labelledParagraphs('Harm', seriousness.harm);
  const aggravating = new Map(criteria.aggravatingFactors.map((factor) => [factor.id, factor.label]));
  const mitigating = new Map(criteria.mitigatingFactors.map((factor) => [factor.id, factor.label]));
  writer.labelledParagraphs('Aggravating factors', factorText(seriousness.aggravating, aggravating), 0);
  writer.labelledParagraphs('Mitigating factors', factorText(seriousness.mitigating, mitigating), 0);
  if (seriousness.hostilityNotAggravatingReason?.trim()) {
    writer.labelledParagraphs('Hostility not treated as aggravating', seriousness.hostilityNotAggravatingReason);
  }
}

function writeSanction(writer: LetterWriter, record: DecisionLetterRecord, criteria: CriteriaDocument): void {
  const { sanction } = record;
  writer.heading('Sanction');
  if (!sanction) {
    writer.paragraph('The panel imposed no sanction.', writer.styles.body);
    return;
  }
  const rung = criteria.ladder.find((entry) => entry.id === sanction.rungId);
  writer.labelled('Sanction', rung?.label ?? sanction.rungId, writer.styles.bodyBold);
  for (const [label, shown] of sanctionParameters(sanction, criteria)) writer.labelled(label, shown, writer.styles.body);
  const ladderOrder = new Map(criteria.ladder.map((entry, index) => [entry.id, index]));
  const lesser = Object.entries(sanction.lesserRungReasons ?? {})
    .filter(([, reason]) => reason.trim())
    .sort(([a], [b]) => (ladderOrder.get(a) ?? 0) - (ladderOrder.get(b) ?? 0));
  if (lesser.length > 0) {
    writer.space(4);
    writer.keepTogether(writer.styles.body.size * 1.45 * 3);
    writer.paragraph('Why a lesser sanction is not enough', writer.styles.bodyBold);
    for (const [rungId, reason] of lesser) {
      const label = criteria.ladder.find((entry) => entry.id === rungId)?.label ?? rungId;
      writer.labelledParagraphs(label, reason);
    }
  }
  const rungIndex = ladderOrder.get(sanction.rungId);
  const next = rungIndex === undefined ? undefined : criteria.ladder[rungIndex + 1];
  if (sanction.nextRungReason?.trim()) {
    writer.space(4);
    writer.keepTogether(writer.styles.body.size * 1.45 * 3);
    writer.paragraph('Why a more serious sanction is not needed', writer.styles.bodyBold);
    writer.labelledParagraphs(next?.label ?? 'More serious', sanction.nextRungReason);
  }
  if (sanction.departureReason?.trim()) {
    writer.space(4);
    writer.labelledParagraphs('Departure from the indicated range', sanction.departureReason);
  }
}

function writeOrders(writer: LetterWriter, record: DecisionLetterRecord): void {
  writer.heading('Orders');
  const { educationCourse, referral } = record.orders;
  if (!educationCourse && !referral) {
    writer.paragraph('The panel made no further orders.', writer.styles.body);
    return;
  }
  if (educationCourse) {
    writer.labelledParagraphs('Education course', `The respondent must complete the education course by ${longDate(educationCourse.dueDate)}.`);
  }
  if (referral) writer.labelledParagraphs('Referral', `Referred to ${referral.to}. ${referral.reason}`.trim());
}

function writeSignatures(
  writer: LetterWriter,
  signatures: readonly LetterSignature[],
  participants: Map<string, DecisionLetterRecord['participants'][number]>,
): void {
  const { styles } = writer;
  // The heading, its explanation and the first signer start on the same page.
  writer.heading('Signatures', 100);
  writer.paragraphs(
    `Each person below signed the outcome record attached to this PDF (${LETTER_ATTACHMENT_NAME}) with their Hearing Desk key. ` +
      'A signature can be checked against the fingerprint its signer read out when keys were exchanged. ' +
      'This PDF itself carries the chair\'s digital signature.',
    styles.small,
  );
  writer.space(6);
  if (signatures.length === 0) {
    writer.paragraph('No signatures had been added to the record when this letter was made.', styles.body);
    return;
  }
  const columns = writer.columns([0.5, 0.5]);
  for (const signature of signatures) {
    const person = participants.get(signature.fingerprint)!;
    const when = signature.signedAt ? `, ${longDate(signature.signedAt)}` : '';
    writer.keepTogether(styles.body.size * 1.45 * 2 + 14);
    writer.space(4);
    writer.rule(RULE, 0.5, 6);
    writer.row([
      { text: person.name, style: styles.bodyBold, ...columns[0]! },
      { text: ROLE_LABELS[person.role], style: styles.body, ...columns[1]! },
    ]);
    writer.row([
      { text: person.fingerprint, style: styles.mono, ...columns[0]! },
      { text: `${PURPOSE_LABELS[signature.purpose]}${when}`, style: styles.meta, ...columns[1]! },
    ]);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The writer

const ACCENT = rgb(0.16, 0.25, 0.36);
const FOOTER_BASELINE = 34;
const LABEL_WIDTH = 128;

interface Style {
  font: PDFFont;
  size: number;
  color: RGB;
  leading: number;
}

interface Cell {
  text: string;
  style: Style;
  x: number;
  width: number;
}

interface LetterFonts {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
  mono: PDFFont;
}

class LetterWriter {
  readonly pages: PDFPage[] = [];
  substituted = 0;
  readonly styles: Record<'kicker' | 'title' | 'subtitle' | 'heading' | 'subheading' | 'meta' | 'body' | 'bodyBold' | 'label' | 'small' | 'mono' | 'tableHead' | 'footer', Style>;
  private page: PDFPage | undefined;
  private y = 0;
  private readonly measurers = new Map<PDFFont, TextMeasurer>();
  private readonly width = A4.width;
  private readonly height = A4.height;

  constructor(
    private readonly doc: PDFDocument,
    fonts: LetterFonts,
    private readonly onTooManyPages: () => never,
    private readonly maxPages: number,
  ) {
    const style = (font: PDFFont, size: number, color: RGB = INK, leading = 1.45): Style => ({ font, size, color, leading });
    this.styles = {
      kicker: style(fonts.bold, 8.5, ACCENT, 1.3),
      title: style(fonts.bold, 19, INK, 1.25),
      subtitle: style(fonts.regular, 11, MUTED, 1.3),
      heading: style(fonts.bold, 12, ACCENT, 1.3),
      subheading: style(fonts.bold, 10.5, INK, 1.4),
      meta: style(fonts.italic, 9, MUTED, 1.4),
      body: style(fonts.regular, 10, INK),
      bodyBold: style(fonts.bold, 10, INK),
      label: style(fonts.regular, 9, MUTED, 1.45 * (10 / 9)),
      small: style(fonts.regular, 9, MUTED),
      mono: style(fonts.mono, 9.5, INK, 1.45 * (10 / 9.5)),
      tableHead: style(fonts.bold, 8.5, MUTED, 1.5),
      footer: style(fonts.regular, 8, MUTED, 1.2),
    };
  }

  get contentWidth(): number {
    return this.width - MARGINS.left - MARGINS.right;
  }

  /** Column positions for fractions of the content width (with a gutter between columns). */
  columns(fractions: number[]): { x: number; width: number }[] {
    const gutter = 12;
    const usable = this.contentWidth - gutter * (fractions.length - 1);
    let x = MARGINS.left;
    return fractions.map((fraction) => {
      const column = { x, width: usable * fraction };
      x += column.width + gutter;
      return column;
    });
  }

  /** Starts a new page unless `height` points still fit on this one. */
  keepTogether(height: number): void {
    if (!this.page || this.y - height < MARGINS.bottom) this.newPage();
  }

  space(points: number): void {
    // Space at the top of a page is swallowed: a new page starts flush.
    if (this.page && this.y < this.height - MARGINS.top && this.y - points > MARGINS.bottom) this.y -= points;
  }

  rule(color: RGB = RULE, thickness = 0.6, after = 0): void {
    const page = this.reserve(thickness + after);
    page.drawLine({
      start: { x: MARGINS.left, y: this.y + after },
      end: { x: this.width - MARGINS.right, y: this.y + after },
      thickness,
      color,
    });
  }

  /** A section heading, kept on the same page as the next `keepAfter` points (three body lines by default). */
  heading(text: string, keepAfter = this.styles.body.size * this.styles.body.leading * 3): void {
    this.space(16);
    this.keepTogether(this.styles.heading.size * this.styles.heading.leading + 6 + keepAfter);
    this.paragraph(text, this.styles.heading);
    this.space(6);
  }

  /** One paragraph, wrapped to the content width (or from `indent`). */
  paragraph(text: string, style: Style, indent = 0): void {
    for (const line of this.wrap(text, style, this.contentWidth - indent)) this.drawLine(line, style, MARGINS.left + indent);
  }

  /** Text that may hold several paragraphs (blank or single line breaks), each wrapped. */
  paragraphs(text: string, style: Style, indent = 0): void {
    splitParagraphs(text).forEach((paragraph, index) => {
      if (index > 0) this.space(style.size * 0.5);
      this.paragraph(paragraph, style, indent);
    });
  }

  /** Label and value on the field grid of the letterhead. */
  field(label: string, value: string): void {
    this.row([
      { text: label, style: this.styles.label, x: MARGINS.left, width: LABEL_WIDTH - 8 },
      { text: value, style: this.styles.body, x: MARGINS.left + LABEL_WIDTH, width: this.contentWidth - LABEL_WIDTH },
    ]);
  }

  /** A short labelled value ("Finding: Proven"). */
  labelled(label: string, value: string, style: Style): void {
    this.row([
      { text: label, style: this.styles.label, x: MARGINS.left, width: LABEL_WIDTH - 8 },
      { text: value, style, x: MARGINS.left + LABEL_WIDTH, width: this.contentWidth - LABEL_WIDTH },
    ]);
  }

  /** A label beside long text that flows on across pages (reasons can run for pages). */
  labelledParagraphs(label: string, text: string, paragraphGap = this.styles.body.size * 0.5): void {
    const body = this.styles.body;
    const lineHeight = body.size * body.leading;
    const labelLines = this.wrap(label, this.styles.label, LABEL_WIDTH - 8);
    this.keepTogether(lineHeight * Math.max(2, labelLines.length));
    const labelPage = this.page!;
    const labelTop = this.y;
    splitParagraphs(text).forEach((paragraph, index) => {
      if (index > 0) this.space(paragraphGap);
      this.paragraph(paragraph, body, LABEL_WIDTH);
    });
    // The label sits beside the first lines of the text, on the page where the text starts.
    labelLines.forEach((line, index) => {
      if (line) labelPage.drawText(line, { x: MARGINS.left, y: labelTop - lineHeight * (index + 1), font: this.styles.label.font, size: this.styles.label.size, color: this.styles.label.color });
    });
    // A label longer than its text still needs its room.
    if (this.page === labelPage) this.y = Math.min(this.y, labelTop - lineHeight * labelLines.length);
    this.space(3);
  }

  /** Cells side by side; the row is kept on one page and is as tall as its tallest cell. */
  row(cells: Cell[]): void {
    const wrapped = cells.map((cell) => this.wrap(cell.text, cell.style, cell.width));
    const heights = cells.map((cell, index) => wrapped[index]!.length * cell.style.size * cell.style.leading);
    const rowHeight = Math.max(...heights);
    if (rowHeight > this.height - MARGINS.top - MARGINS.bottom) {
      // Taller than a page (only absurd input): let each cell flow instead of looping on new pages.
      cells.forEach((cell) => this.paragraph(cell.text, cell.style, cell.x - MARGINS.left));
      return;
    }
    this.keepTogether(rowHeight);
    const page = this.page!;
    const top = this.y;
    cells.forEach((cell, index) => {
      const lineHeight = cell.style.size * cell.style.leading;
      wrapped[index]!.forEach((line, lineIndex) => {
        if (line) page.drawText(line, { x: cell.x, y: top - lineHeight * (lineIndex + 1), font: cell.style.font, size: cell.style.size, color: cell.style.color });
      });
    });
    this.y = top - rowHeight;
  }

  footer(page: PDFPage, left: string, right: string): void {
    const style = this.styles.footer;
    const rightText = toWinAnsi(right).text;
    const rightWidth = this.measurer(style.font).width(rightText, style.size);
    const leftLines = this.wrap(left, style, this.contentWidth - rightWidth - 24);
    page.drawLine({
      start: { x: MARGINS.left, y: FOOTER_BASELINE + 14 },
      end: { x: this.width - MARGINS.right, y: FOOTER_BASELINE + 14 },
      thickness: 0.4,
      color: RULE,
    });
    page.drawText(leftLines[0] ?? '', { x: MARGINS.left, y: FOOTER_BASELINE, font: style.font, size: style.size, color: style.color });
    page.drawText(rightText, { x: this.width - MARGINS.right - rightWidth, y: FOOTER_BASELINE, font: style.font, size: style.size, color: style.color });
  }

  finish(): PDFPage[] {
    if (this.pages.length === 0) this.newPage();
    return this.pages;
  }

  private wrap(text: string, style: Style, width: number): string[] {
    const safe = toWinAnsi(text);
    this.substituted += safe.substituted;
    const measurer = this.measurer(style.font);
    return wrapParagraph(safe.text.trim(), width, (line) => measurer.width(line, style.size));
  }

  private measurer(font: PDFFont): TextMeasurer {
    let measurer = this.measurers.get(font);
    if (!measurer) {
      measurer = new TextMeasurer(font);
      this.measurers.set(font, measurer);
    }
    return measurer;
  }

  private drawLine(line: string, style: Style, x: number): void {
    const page = this.reserve(style.size * style.leading);
    if (line) page.drawText(line, { x, y: this.y, font: style.font, size: style.size, color: style.color });
  }

  private reserve(height: number): PDFPage {
    if (!this.page || this.y - height < MARGINS.bottom) this.newPage();
    this.y -= height;
    return this.page!;
  }

  private newPage(): void {
    if (this.pages.length >= this.maxPages) this.onTooManyPages();
    this.page = this.doc.addPage([this.width, this.height]);
    this.pages.push(this.page);
    this.y = this.height - MARGINS.top;
  }
}

function splitParagraphs(text: string): string[] {
  const paragraphs = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return paragraphs.length > 0 ? paragraphs : [''];
}
