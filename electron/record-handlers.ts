// The outcome record's calls (docs/outcome-record.md): the chair builds the record from the final decision, signs it,
// sends it for signature and adds the signatures that come back; a member opens what the chair sent, sees exactly
// what they sign and returns a signature; the chair builds the PAdES-signed letter and seals the outcome package to
// the central office. Plus each case's audit log, and the central office's ingest, statistics and education courses.
//
// What the services leave to their caller lives here: choosing files (never reading one far larger than its kind
// can be), writing what the user saves atomically, the chair's letter certificate, and mapping to contract views.
// Nothing readable is written anywhere but where the user chose: the letter stays in memory until saved.
import { readChosenFile } from './chosen-file';
import { basename } from 'node:path';
import { canonicalize } from '../shared/canonical-json';
import type { AuditChainView, AuditLogView, FileResultView, ForSignatureView, LetterView, OutcomeStatusView } from '../shared/contract';
import { AUDIT_ACTION_LABELS } from '../shared/domain/audit';
import type { CriteriaReference } from '../shared/domain/case';
import type { CriteriaDocument } from '../shared/domain/criteria';
import { FOR_SIGNATURE_FORMAT, type OutcomeRecord, type SignedOutcomeRecord, type StatsFormat } from '../shared/domain/record';
import { AppError, isAppError } from '../shared/errors';
import type { CaseServices } from './bundle-handlers';
import type { Handlers } from './ipc';
import { writeFileAtomic } from './services/atomic-file';
import { AuditTrail } from './services/audit';
import { CriteriaError, criteriaDigest } from './services/criteria';
import { Decisions, type CriteriaResolver } from './services/decisions';
import type { FilePicker } from './services/ports';
import { PublishedStore } from './services/published';
import { ChairCertificateStore } from './services/records/certificate-store';
import { OutcomeExports } from './services/records/outcome-export';
import { buildSignedLetter, centralOfficeLedger, MAX_PACKAGE_BYTES, sealOutcomePackage } from './services/records/ledger';
import { educationCourses } from './services/records/courses';
import {
  buildOutcomeRecord,
  diffRecords,
  missingSignatures,
  OutcomeRecordStore,
  parseRecordPayload,
  purposeForRole,
  recordIdOf,
  recordSignatories,
  sha256Hex,
  signedRecordOf,
  type RecordInProgress,
} from './services/records/record';
import { exportForSignature, importSignature, openForSignature, signForSignature, signRecord, verifyRecordSignatures } from './services/records/signatures';
import { formatStats, quarterOf } from './services/records/stats';
import { Annotations } from './services/annotations/annotations';
import type { Session } from './services/session';

export const FOR_SIGNATURE_EXTENSION = 'hdforsignature';
export const SIGNATURE_EXTENSION = 'hdsignature';
export const OUTCOME_PACKAGE_EXTENSION = 'hdoutcome';

/** The most each kind of file can be: the service's payload limit plus the envelope's framing, with a margin. */
const MAX_FOR_SIGNATURE_FILE_BYTES = 33 * 1024 * 1024;
const MAX_SIGNATURE_FILE_BYTES = 2 * 1024 * 1024;
const MAX_PACKAGE_FILE_BYTES = MAX_PACKAGE_BYTES + 2 * 1024 * 1024;
/** How many packages one ingest may pick: more is a mistake (a whole disk), not a batch. */
const MAX_INGEST_FILES = 500;

const FILTERS = {
  forSignature: { name: 'Hearing Desk record for signature', extensions: [FOR_SIGNATURE_EXTENSION] },
  signature: { name: 'Hearing Desk signature', extensions: [SIGNATURE_EXTENSION] },
  package: { name: 'Hearing Desk outcome package', extensions: [OUTCOME_PACKAGE_EXTENSION] },
  pdf: { name: 'PDF document', extensions: ['pdf'] },
  stats: { csv: { name: 'CSV table', extensions: ['csv'] }, json: { name: 'JSON', extensions: ['json'] }, md: { name: 'Markdown', extensions: ['md'] } },
} as const;

function fileSafe(reference: string): string {
  return reference.replace(/[^A-Za-z0-9-]+/g, '-');
}

function criteriaOrRefuse(resolve: CriteriaResolver, named: CriteriaReference & { digest?: string | undefined }, reference: string): CriteriaDocument {
  const criteria = resolve({ id: named.id, version: named.version });
  if (!criteria || criteria.id !== named.id || criteria.version !== named.version) {
    throw new CriteriaError(
      'criteria-version-mismatch',
      `Case ${reference} names the criteria "${named.id}" version ${named.version}, which this laptop does not hold. Import the signed criteria the case names.`,
      { expected: named },
    );
  }
  if (named.digest && criteriaDigest(criteria) !== named.digest) {
    throw new CriteriaError('criteria-digest-mismatch', `The criteria "${named.id}" version ${named.version} held here are not the exact text case ${reference} names.`);
  }
  return criteria;
}

interface HeldLetter extends LetterView {
  pdf: Uint8Array;
  /** The record and signatures the letter was built from: a letter of older bytes is never saved or sent. */
  basis: string;
}

type RecordHandlerNames = Extract<keyof Handlers, `records.${string}` | `office.${string}`>;

export interface RecordHandlerOptions {
  now?: () => Date;
  criteriaFor?: CriteriaResolver;
}

export function createRecordHandlers(session: Session, services: CaseServices, picker: FilePicker | undefined, options: RecordHandlerOptions = {}): Pick<Handlers, RecordHandlerNames> {
  const now = options.now ?? (() => new Date());
  const published = new PublishedStore(session, now);
  const criteriaFor = options.criteriaFor ?? published.criteriaResolver();
  const decisions = new Decisions(session, now, { criteriaFor, historyFor: published.historyFor() });
  const audit = new AuditTrail(session, now);
  const store = () => new OutcomeRecordStore(session, now);
  const chairCertificates = new ChairCertificateStore(session, now);
  const outcomeExports = new OutcomeExports(session, () => new Annotations(session, services.cases), now);
  const letters = new Map<string, HeldLetter>();

  const requirePicker = (): FilePicker => {
    if (!picker) throw new AppError('picker-unavailable', 'Choosing files is only available in the desktop app.');
    return picker;
  };

  const saveBytes = async (bytes: Uint8Array | string, title: string, suggestedName: string, filter: { name: string; extensions: readonly string[] }): Promise<string | null> => {
    const path = await requirePicker().chooseSavePath({ title, suggestedName, filters: [{ name: filter.name, extensions: [...filter.extensions] }] });
    if (!path) return null;
    writeFileAtomic(path, bytes, 0o600);
    return path;
  };

  const myFingerprint = (): string => {
    const fingerprint = session.status().profile?.fingerprint;
    if (!fingerprint) throw new AppError('vault-locked', 'The vault is locked. Unlock it to continue.');
    return fingerprint;
  };

  /** The case as this user holds it: its manifest, the criteria it names, and who the user is in it. */
  const caseOf = (caseId: string) => {
    const held = services.cases.requireOpenable(caseId);
    const manifest = held.manifest;
    const me = manifest.case.participants.find((p) => p.fingerprint === myFingerprint()) ?? null;
    return { held, manifest, caseFile: manifest.case, me, criteria: () => criteriaOrRefuse(criteriaFor, manifest.case.criteria, manifest.case.reference) };
  };

  const requireChair = (caseId: string) => {
    const found = caseOf(caseId);
    if (found.me?.role !== 'chair') {
      const chair = found.caseFile.participants.find((p) => p.role === 'chair');
      throw new AppError('not-the-chair', `Only the chair${chair ? ` (${chair.name})` : ''} builds the outcome record, collects signatures and sends the package.`);
    }
    return found;
  };

  const chainOf = (): AuditChainView => {
    const report = audit.verify();
    return report.ok ? { ok: true, count: report.count, headHash: report.headHash } : { ok: false, brokenAt: report.brokenAt, message: report.message };
  };

  const basisOf = (current: RecordInProgress) => `${sha256Hex(current.payload)}:${canonicalize(current.signed.signatures)}`;

  const heldLetter = (caseId: string, current: RecordInProgress | null): HeldLetter | null => {
    const letter = letters.get(caseId);
    if (!letter || !current || letter.basis !== basisOf(current)) return null;
    return letter;
  };

  const letterView = ({ pdf: _pdf, basis: _basis, ...view }: HeldLetter): LetterView => view;

  const status = (caseId: string): OutcomeStatusView => {
    const { caseFile, me, criteria } = caseOf(caseId);
    const decision = decisions.open(caseId);
    const isChair = me?.role === 'chair';
    const current = isChair ? store().get(caseFile.reference) : null;
    let record: OutcomeStatusView['record'] = null;
    if (current) {
      const rules = criteria();
      const verified = verifyRecordSignatures({ signed: current.signed, record: current.record, payload: current.payload, recordId: recordIdOf(current.payload) }, rules);
      const payloadSha256 = sha256Hex(current.payload);
      const earlier = store()
        .seen(caseFile.reference)
        .filter((entry) => entry.payloadSha256 !== payloadSha256);
      const last = earlier[earlier.length - 1] ?? null;
      record = {
        version: current.version,
        recordId: verified.recordId,
        updatedAt: current.updatedAt,
        record: current.record,
        signatures: verified.signers.map(({ participant, signature }) => ({
          name: participant.name,
          role: participant.role,
          fingerprint: participant.fingerprint,
          purpose: signature.purpose,
          signedAt: signature.signedAt,
        })),
        missing: missingSignatures(rules, current.record, current.signed.signatures).map((m) => ({ role: m.role, purpose: m.purpose, needed: m.needed, outstanding: m.outstanding })),
        complete: verified.complete,
        signedByMe: current.signed.signatures.some((s) => s.keyid === me?.fingerprint),
        previous: last ? { version: last.version, seenAt: last.seenAt } : null,
        changes: last ? diffRecords(JSON.parse(Buffer.from(last.payload).toString('utf8')), current.record) : [],
      };
    }
    const letter = heldLetter(caseId, current);
    return {
      caseReference: caseFile.reference,
      myRole: me?.role ?? null,
      isChair,
      decision: { status: decision.status, revision: decision.revision },
      audit: chainOf(),
      record,
      letter: letter ? letterView(letter) : null,
      offices: session
        .listContacts()
        .filter((contact) => contact.role === 'central-office')
        .map((contact) => ({ id: contact.id, name: contact.name, fingerprint: contact.fingerprint, verified: contact.verifiedAt !== null })),
    };
  };

  const currentRecord = (caseId: string) => {
    const found = requireChair(caseId);
    const current = store().get(found.caseFile.reference);
    if (!current) throw new AppError('no-record-in-progress', 'Build the outcome record from the final decision first.');
    return { ...found, current };
  };

  const signedOfSeen = (caseReference: string, payloadSha256: string): SignedOutcomeRecord & { version: number } => {
    const seen = store()
      .seen(caseReference)
      .filter((entry) => entry.payloadSha256 === payloadSha256)
      .pop();
    if (!seen) throw new AppError('signature-not-seen', 'Open the record for signature first: only a record you have been shown can be signed.');
    return { ...signedRecordOf(parseRecordPayload(seen.payload)), version: seen.version };
  };

  const actorNames = (caseFile: { participants: { fingerprint: string; name: string }[] }): Map<string, string> => {
    const names = new Map<string, string>();
    for (const contact of session.listContacts()) names.set(contact.fingerprint, contact.name);
    for (const participant of caseFile.participants) names.set(participant.fingerprint, participant.name);
    const profile = session.status().profile;
    if (profile) names.set(profile.fingerprint, profile.name);
    return names;
  };

  return {
    'records.status': ({ caseId }) => status(caseId),

    'records.build': ({ caseId }) => {
      const { manifest, caseFile, criteria } = requireChair(caseId);
      const decision = decisions.open(caseId);
      if (decision.status !== 'final') {
        throw new AppError('record-not-final', 'The decision is not final yet. The chair marks it final in the decision workspace first.');
      }
      const existing = store().get(caseFile.reference);
      // The record anchors the audit head at the moment it is built, so it is built once per final decision: building
      // again would change its bytes and void every signature collected.
      if (existing && existing.record.decisionRevision === decision.revision) return status(caseId);
      const head = audit.requireIntact();
      const keys = [...manifest.recipients, manifest.sealedBy];
      const record: OutcomeRecord = buildOutcomeRecord(caseFile, sha256Hex(canonicalize(manifest)), criteria(), decision.draft, decision.check, head.headHash, null, keys);
      store().save(signedRecordOf(record));
      return status(caseId);
    },

    'records.sign': async ({ caseId, passphrase }) => {
      const { current, criteria } = currentRecord(caseId);
      const signed = await signRecord(session, passphrase, current.signed, criteria(), { now, caseId });
      store().save(signed);
      return status(caseId);
    },

    'records.exportForSignature': async ({ caseId }) => {
      const { caseFile, criteria } = currentRecord(caseId);
      const exported = await exportForSignature(session, caseFile.reference, criteria(), { now });
      const savedTo = await saveBytes(
        exported.bytes,
        'Save the record for the panel to sign',
        `${fileSafe(caseFile.reference)}-record-v${exported.version}.${FOR_SIGNATURE_EXTENSION}`,
        FILTERS.forSignature,
      );
      return { savedTo, version: exported.version, recipients: exported.recipients.map((r) => ({ name: r.name, role: r.role })) };
    },

    'records.openForSignature': async ({ caseId }) => {
      const { caseFile, criteria } = caseOf(caseId);
      const rules = criteria();
      const [path] = await requirePicker().chooseOpenPaths({ title: 'Open the record sent for signature', filters: [{ ...FILTERS.forSignature, extensions: [...FILTERS.forSignature.extensions] }], multiple: false });
      if (!path) return null;
      const view = await openForSignature(session, readChosenFile(path, MAX_FOR_SIGNATURE_FILE_BYTES, 'record for signature'), rules, { now });
      if (view.record.caseReference !== caseFile.reference) {
        throw new AppError('signature-other-case', `This record is for case ${view.record.caseReference}, not ${caseFile.reference}. Open it from that case.`);
      }
      const purpose = purposeForRole(rules, view.me.role);
      const statement = recordSignatories(rules, view.record).find((s) => s.role === view.me.role)?.statement ?? null;
      const person = (p: { name: string; role: string; fingerprint: string }) => ({ name: p.name, role: p.role, fingerprint: p.fingerprint });
      const result: ForSignatureView = {
        caseReference: view.record.caseReference,
        version: view.request.version,
        payloadSha256: view.payloadSha256,
        record: view.record,
        chair: person(view.chair),
        me: person(view.me),
        purpose,
        statement,
        previous: view.previous ? { version: view.previous.version, seenAt: view.previous.seenAt } : null,
        changes: view.changes,
        signedBy: view.signedBy.map((s) => ({ ...person(s), purpose: s.purpose })),
        alreadySignedByMe: view.alreadySignedByMe,
      };
      return result;
    },

    'records.signForSignature': async ({ caseId, payloadSha256, passphrase }) => {
      const { caseFile, criteria } = caseOf(caseId);
      const { version, ...signed } = signedOfSeen(caseFile.reference, payloadSha256);
      const request = { format: FOR_SIGNATURE_FORMAT, caseReference: caseFile.reference, version, signed, payloadSha256 } as const;
      const bytes = await signForSignature(session, passphrase, { request }, criteria(), { now, caseId });
      const me = caseFile.participants.find((p) => p.fingerprint === myFingerprint());
      const savedTo = await saveBytes(
        bytes,
        'Save your signature for the chair',
        `${fileSafe(caseFile.reference)}-signature-${fileSafe(me?.name ?? 'member').toLowerCase()}.${SIGNATURE_EXTENSION}`,
        FILTERS.signature,
      );
      return { savedTo };
    },

    'records.importSignatures': async ({ caseId }) => {
      const { caseFile, criteria } = currentRecord(caseId);
      const rules = criteria();
      const paths = await requirePicker().chooseOpenPaths({ title: 'Add returned signatures', filters: [{ ...FILTERS.signature, extensions: [...FILTERS.signature.extensions] }], multiple: true });
      if (paths.length === 0) return null;
      const results: FileResultView[] = [];
      for (const path of paths.slice(0, MAX_INGEST_FILES)) {
        const file = basename(path);
        try {
          const added = await importSignature(session, caseFile.reference, readChosenFile(path, MAX_SIGNATURE_FILE_BYTES, 'signature'), rules, { now, caseId });
          const signer = added.record.participants.find((p) => p.fingerprint === added.added.keyid);
          results.push({ file, ok: true, detail: `${signer?.name ?? added.added.keyid} signed (${added.added.purpose === 'decision' ? 'the decision' : 'an attestation'}).` });
        } catch (error) {
          if (!isAppError(error)) throw error;
          results.push({ file, ok: false, code: String(error.code), message: error.message });
        }
      }
      return { results, status: status(caseId) };
    },

    'records.buildLetter': async ({ caseId }) => {
      const { current, criteria } = currentRecord(caseId);
      const rules = criteria();
      verifyRecordSignatures(current.signed, rules, { requireComplete: true });
      // The chair's certificate and key live in the vault: the same one signs every letter until it expires.
      const { card, fingerprint } = session.myCard();
      const builtAt = now();
      const { pdf, pageCount } = await chairCertificates.withCertificate({ name: card.name, fingerprint, signingKeyBase64: card.signingKey }, builtAt, (certificate) =>
        buildSignedLetter(current.signed, rules, certificate, { createdAt: builtAt }),
      );
      const letter: HeldLetter = {
        pdf,
        pageCount,
        bytes: pdf.length,
        sha256: sha256Hex(pdf),
        signatures: current.signed.signatures.length,
        builtAt: builtAt.toISOString(),
        basis: basisOf(current),
      };
      letters.set(caseId, letter);
      return letterView(letter);
    },

    'records.replaceLetterCertificate': async ({ caseId }) => {
      currentRecord(caseId);
      const { card, fingerprint } = session.myCard();
      const replaced = session.requireVault().db.transaction(() => {
        const stored = chairCertificates.replaceDamaged({ name: card.name, fingerprint, signingKeyBase64: card.signingKey }, now());
        audit.append({ caseId, action: 'letter-certificate-replaced', object: stored.serialHex, details: { notAfter: stored.notAfter } });
        return stored;
      })();
      return { serialHex: replaced.serialHex, notAfter: replaced.notAfter };
    },

    'records.saveLetter': async ({ caseId }) => {
      const { current, caseFile } = currentRecord(caseId);
      const letter = heldLetter(caseId, current);
      if (!letter) throw new AppError('letter-not-built', 'Build the decision letter from the complete record first.');
      return { savedTo: await saveBytes(letter.pdf, 'Save the decision letter', `${fileSafe(caseFile.reference)}-decision-letter.pdf`, FILTERS.pdf) };
    },

    'records.exportPackage': async ({ caseId, officeContactId }) => {
      const { current, criteria, caseFile } = currentRecord(caseId);
      const letter = heldLetter(caseId, current);
      if (!letter) throw new AppError('letter-not-built', 'Build the decision letter first: it travels in the package.');
      const office = session.listContacts().find((contact) => contact.id === officeContactId);
      if (!office) throw new AppError('contact-not-found', 'That contact is no longer in the address book.');
      if (office.role !== 'central-office') throw new AppError('not-central-office', `${office.name} is not a central-office contact. The package goes only to the central office.`);
      // The path is chosen before anything is sealed or logged: a cancelled dialog leaves no trace. OutcomeExports
      // then writes the file and, in one transaction, logs the export and applies retention; a crash in between is
      // finished (or undone) at the next unlock.
      const savedTo = await requirePicker().chooseSavePath({
        title: 'Save the outcome package for the central office',
        suggestedName: `${fileSafe(caseFile.reference)}-outcome.${OUTCOME_PACKAGE_EXTENSION}`,
        filters: [{ ...FILTERS.package, extensions: [...FILTERS.package.extensions] }],
      });
      if (!savedTo) return { savedTo: null, recordId: recordIdOf(current.payload), office: office.name };
      const sealed = await sealOutcomePackage(session, { signed: current.signed, letterPdf: letter.pdf, criteria: criteria(), officeRecipient: office.ageRecipient, caseId, now, logExport: false });
      outcomeExports.write({ caseId, caseReference: caseFile.reference, recordId: sealed.recordId, path: savedTo, bytes: sealed.bytes });
      return { savedTo, recordId: sealed.recordId, office: office.name };
    },

    'records.auditLog': ({ caseId, limit = 200 }) => {
      const { caseFile } = caseOf(caseId);
      const chain = chainOf();
      const entries = audit.entries({ caseId, limit: limit + 1 });
      const names = actorNames(caseFile);
      const me = myFingerprint();
      const result: AuditLogView = {
        caseReference: caseFile.reference,
        chain,
        entries: entries.slice(0, limit).map((entry) => ({
          counter: entry.counter,
          time: entry.deviceTime,
          actor: { fingerprint: entry.actor, name: names.get(entry.actor) ?? null, isMe: entry.actor === me },
          action: entry.action,
          actionLabel: AUDIT_ACTION_LABELS[entry.action],
          object: entry.object,
        })),
        truncated: entries.length > limit,
      };
      return result;
    },

    'office.overview': () => {
      const ledger = centralOfficeLedger(session, now);
      const quarters = new Map<string, number>();
      for (const summary of ledger.store.summaries()) {
        const quarter = quarterOf(summary.decision);
        quarters.set(quarter, (quarters.get(quarter) ?? 0) + 1);
      }
      return {
        records: ledger.store.count(),
        quarters: [...quarters].sort(([a], [b]) => b.localeCompare(a)).map(([quarter, cases]) => ({ quarter, cases })),
        publishedCriteria: ledger.store.listPublishedCriteria().map(({ id, version, publishedAt }) => ({ id, version, publishedAt })),
      };
    },

    'office.ingest': async () => {
      const ledger = centralOfficeLedger(session, now);
      const paths = await requirePicker().chooseOpenPaths({ title: 'Ingest outcome packages', filters: [{ ...FILTERS.package, extensions: [...FILTERS.package.extensions] }], multiple: true });
      if (paths.length === 0) return null;
      if (paths.length > MAX_INGEST_FILES) throw new AppError('too-many-files', `Choose at most ${MAX_INGEST_FILES} packages at a time.`);
      // A file that cannot be read is reported like a refused package; the rest go to the ledger in one batch.
      const unreadable: FileResultView[] = [];
      const files: { name: string; bytes: Uint8Array }[] = [];
      for (const path of paths) {
        try {
          files.push({ name: basename(path), bytes: readChosenFile(path, MAX_PACKAGE_FILE_BYTES, 'outcome package') });
        } catch (error) {
          if (!isAppError(error)) throw error;
          unreadable.push({ file: basename(path), ok: false, code: String(error.code), message: error.message });
        }
      }
      const ageIdentity = await session.withIdentity((identity) => identity.ageIdentity);
      const outcomes = files.length > 0 ? await ledger.ingest(files, ageIdentity) : [];
      const results: FileResultView[] = outcomes.map((outcome) =>
        outcome.ok
          ? { file: outcome.name, ok: true, detail: `Case ${outcome.caseReference}, decided in ${outcome.quarter}, ${outcome.signatures} signatures verified.` }
          : { file: outcome.name, ok: false, code: outcome.code, message: outcome.message },
      );
      return [...results, ...unreadable];
    },

    'office.stats': ({ quarter, threshold }) => centralOfficeLedger(session, now).stats({ quarter, ...(threshold === undefined ? {} : { threshold }) }),

    'office.exportStats': async ({ quarter, threshold, format }) => {
      const report = centralOfficeLedger(session, now).stats({ quarter, ...(threshold === undefined ? {} : { threshold }) });
      const text = formatStats(report, format);
      const filter = FILTERS.stats[format as StatsFormat];
      return { savedTo: await saveBytes(text, 'Save the quarter’s statistics', `outcome-statistics-${quarter}.${filter.extensions[0]}`, filter) };
    },

    'office.courses': ({ asOf }) => educationCourses(session, now).list(asOf === undefined ? {} : { asOf }),

    'office.recordCourseCompleted': ({ caseReference, completedOn }) => educationCourses(session, now).recordCompleted(caseReference, completedOn),
  };
}
