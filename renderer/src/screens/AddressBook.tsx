// The address book: the participant cards this person holds, each with its fingerprint and whether it was
// compared aloud with its owner. Cards come in from a file (picker or drag-and-drop) or pasted text, and are
// always previewed — name, role, fingerprint shown large — before they are added.
import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { CardPreview } from '../../../shared/contract';
import { ROLE_LABELS, type Contact } from '../../../shared/domain/profile';
import { call, messageOf } from '../api';
import { Dialog } from '../components/Dialog';
import { Fingerprint } from '../components/Fingerprint';
import { ExportResult, useExportCard } from '../components/ShareCardDialog';
import { Button, ErrorMessage, Notice, PageHeading } from '../components/ui';
import { useApp, useProfile } from '../store';

/** The contract refuses card text over 64 KiB; a real card is well under 1 KiB. */
const MAX_CARD_BYTES = 64 * 1024;

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

interface PendingCard {
  text: string;
  preview: CardPreview;
  source: string;
}

export function AddressBook() {
  const profile = useProfile();
  const showToast = useApp((state) => state.showToast);
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [pending, setPending] = useState<PendingCard | null>(null);
  const [dragging, setDragging] = useState(false);
  const [pasteOpen, setPasteOpen] = useState(false);
  const [pasteText, setPasteText] = useState('');
  const [verifying, setVerifying] = useState<Contact | null>(null);
  const [removing, setRemoving] = useState<Contact | null>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const [rowBusy, setRowBusy] = useState<string | null>(null);
  const exporter = useExportCard();
  const fileRef = useRef<HTMLInputElement>(null);
  const importButtonRef = useRef<HTMLButtonElement>(null);
  const pasteRef = useRef<HTMLTextAreaElement>(null);
  const pasteId = useId();
  const dragDepth = useRef(0);

  async function refresh() {
    try {
      setContacts(await call('contacts.list', {}));
      setListError(null);
    } catch (error) {
      setListError(messageOf(error));
    }
  }

  useEffect(() => {
    void refresh();
  }, []);

  useEffect(() => {
    if (pasteOpen) pasteRef.current?.focus();
  }, [pasteOpen]);

  async function preview(text: string, source: string) {
    setImportError(null);
    setReading(true);
    try {
      const result = await call('contacts.previewCard', { text });
      setPending({ text, preview: result, source });
    } catch (error) {
      setImportError(messageOf(error));
    } finally {
      setReading(false);
    }
  }

  async function readFile(file: File) {
    if (file.size > MAX_CARD_BYTES) {
      setImportError(`“${file.name}” is too large to be a participant card. A card file is a small text file ending in .hdcard.`);
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch {
      setImportError(`“${file.name}” could not be read. Check that the file is still there and try again.`);
      return;
    }
    await preview(text, file.name);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length === 0) {
      const text = event.dataTransfer.getData('text/plain');
      if (text) void preview(text, 'dropped text');
      return;
    }
    if (files.length > 1) {
      setImportError('Drop one card at a time.');
      return;
    }
    void readFile(files[0]!);
  }

  function onPasteSubmit(event: FormEvent) {
    event.preventDefault();
    if (!pasteText.trim()) {
      setImportError('Paste the text of a participant card first.');
      pasteRef.current?.focus();
      return;
    }
    void preview(pasteText, 'pasted text');
  }

  async function added(contact: Contact, updated: boolean) {
    setPending(null);
    setPasteText('');
    setPasteOpen(false);
    showToast(
      `${contact.name} ${updated ? 'was updated in' : 'was added to'} your address book${contact.verifiedAt ? ', verified' : ', not yet verified'}.`,
    );
    await refresh();
  }

  async function unverify(contact: Contact) {
    if (rowBusy) return;
    setRowBusy(contact.id);
    setRowError(null);
    try {
      await call('contacts.setVerified', { id: contact.id, verified: false });
      showToast(`${contact.name} is now marked as not verified.`, 'info');
      await refresh();
    } catch (error) {
      setRowError({ id: contact.id, message: messageOf(error) });
    } finally {
      setRowBusy(null);
    }
  }

  const verifiedCount = contacts?.filter((contact) => contact.verifiedAt).length ?? 0;

  return (
    <div
      className={dragging ? 'page is-dragging' : 'page'}
      onDragEnter={(event) => {
        if (![...event.dataTransfer.types].some((type) => type === 'Files' || type === 'text/plain')) return;
        dragDepth.current += 1;
        setDragging(true);
      }}
      onDragLeave={() => {
        dragDepth.current = Math.max(0, dragDepth.current - 1);
        if (dragDepth.current === 0) setDragging(false);
      }}
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={onDrop}
    >
      <PageHeading description="The participants whose cards you hold. You need someone’s card to seal papers for them or to check what they have signed.">
        Address book
      </PageHeading>

      <section className="panel" aria-labelledby="contacts-title">
        <div className="panel-header">
          <h2 id="contacts-title">Contacts</h2>
          {contacts && contacts.length > 0 ? (
            <p className="panel-meta">
              {contacts.length} {contacts.length === 1 ? 'contact' : 'contacts'}, {verifiedCount} verified
            </p>
          ) : null}
        </div>
        <ErrorMessage>{listError}</ErrorMessage>
        {contacts === null && !listError ? <p className="loading">Loading contacts…</p> : null}
        {contacts && contacts.length === 0 ? (
          <p className="muted">No contacts yet. Import the participant card of each person you work with on a hearing.</p>
        ) : null}
        {contacts && contacts.length > 0 ? (
          <ul className="contact-list">
            {contacts.map((contact) => (
              <li key={contact.id} className="contact">
                <div className="contact-who">
                  <h3 className="contact-name">{contact.name}</h3>
                  <p className="contact-role">{ROLE_LABELS[contact.role]}</p>
                </div>
                <div className="contact-fingerprint">
                  <span className="contact-label">Fingerprint</span>
                  <Fingerprint value={contact.fingerprint} />
                </div>
                <div className="contact-status">
                  {contact.verifiedAt ? (
                    <>
                      <span className="badge badge-verified">
                        <span aria-hidden="true">✓ </span>Verified
                      </span>
                      <span className="contact-date">Compared {formatDate(contact.verifiedAt)}</span>
                    </>
                  ) : (
                    <>
                      <span className="badge badge-unverified">Not verified</span>
                      <span className="contact-date">Fingerprint not yet compared</span>
                    </>
                  )}
                </div>
                <div className="contact-actions">
                  {contact.verifiedAt ? (
                    <Button
                      variant="quiet"
                      busy={rowBusy === contact.id}
                      busyLabel="Saving…"
                      aria-label={`Mark as not verified: ${contact.name}`}
                      onClick={() => void unverify(contact)}
                    >
                      Mark as not verified
                    </Button>
                  ) : (
                    <Button aria-label={`Verify ${contact.name}…`} onClick={() => setVerifying(contact)}>
                      Verify…
                    </Button>
                  )}
                  <Button variant="quiet" className="btn-danger-quiet" aria-label={`Remove ${contact.name}…`} onClick={() => setRemoving(contact)}>
                    Remove…
                  </Button>
                </div>
                {rowError?.id === contact.id ? <ErrorMessage className="contact-error">{rowError.message}</ErrorMessage> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section className={dragging ? 'panel dropzone is-active' : 'panel dropzone'} aria-labelledby="import-title">
        <h2 id="import-title">Add someone’s card</h2>
        <p>
          Ask the person for their participant card file (it ends in <span className="mono">.hdcard</span>). Choose it below or drag it onto
          this page. You will see their fingerprint to compare with them before anything is added.
        </p>
        <div className="dropzone-target" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="28" height="28" focusable="false">
            <path d="M12 4v11M7.5 10.5 12 15l4.5-4.5M5 19h14" />
          </svg>
          <span>{dragging ? 'Drop the card file to check it' : 'Drop a card file here'}</span>
        </div>
        <div className="button-row">
          <Button ref={importButtonRef} variant="primary" busy={reading} busyLabel="Reading card…" onClick={() => fileRef.current?.click()}>
            Import card…
          </Button>
          <Button variant="quiet" aria-expanded={pasteOpen} aria-controls={`${pasteId}-form`} onClick={() => setPasteOpen((open) => !open)}>
            {pasteOpen ? 'Hide card text' : 'Paste card text instead'}
          </Button>
        </div>
        <input
          ref={fileRef}
          type="file"
          accept=".hdcard,application/json,text/plain"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Participant card file"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void readFile(file);
          }}
        />
        {pasteOpen ? (
          <form id={`${pasteId}-form`} className="form paste-form" onSubmit={onPasteSubmit} noValidate>
            <div className="field">
              <label htmlFor={pasteId} className="field-label">
                Card text
              </label>
              <p id={`${pasteId}-hint`} className="field-hint">
                Paste everything from the card file, from the first {'{'} to the last {'}'}.
              </p>
              <textarea
                id={pasteId}
                ref={pasteRef}
                className="input textarea"
                rows={6}
                spellCheck={false}
                aria-describedby={`${pasteId}-hint`}
                value={pasteText}
                onChange={(event) => setPasteText(event.target.value)}
              />
            </div>
            <div className="form-actions">
              <Button type="submit" busy={reading} busyLabel="Checking…">
                Check card
              </Button>
            </div>
          </form>
        ) : null}
        <ErrorMessage>{importError}</ErrorMessage>
      </section>

      {profile ? (
        <section className="panel own-card" aria-labelledby="own-card-title">
          <h2 id="own-card-title">Your card</h2>
          <p>Others add you to their address book with your card. When they do, read your fingerprint aloud to them.</p>
          <dl className="summary-list">
            <div>
              <dt>Name</dt>
              <dd>{profile.name}</dd>
            </div>
            <div>
              <dt>Role</dt>
              <dd>{ROLE_LABELS[profile.role]}</dd>
            </div>
            <div>
              <dt>Your fingerprint</dt>
              <dd>
                <Fingerprint value={profile.fingerprint} size="large" />
              </dd>
            </div>
          </dl>
          <ExportResult error={exporter.error} savedTo={exporter.savedTo} />
          <div className="button-row">
            <Button onClick={() => void exporter.exportCard()} busy={exporter.busy} busyLabel="Saving…">
              Export my card…
            </Button>
          </div>
        </section>
      ) : null}

      {pending ? (
        <ImportDialog
          pending={pending}
          onClose={() => setPending(null)}
          onAdded={(contact) => void added(contact, pending.preview.existingContactId !== null)}
          fallbackFocus={() => importButtonRef.current}
        />
      ) : null}
      {verifying ? (
        <VerifyDialog
          contact={verifying}
          onClose={() => setVerifying(null)}
          onVerified={async (contact) => {
            setVerifying(null);
            showToast(`${contact.name} is now verified.`);
            await refresh();
          }}
        />
      ) : null}
      {removing ? (
        <RemoveDialog
          contact={removing}
          onClose={() => setRemoving(null)}
          onRemoved={async (contact) => {
            setRemoving(null);
            showToast(`${contact.name} was removed from your address book.`, 'info');
            await refresh();
          }}
          fallbackFocus={() => importButtonRef.current}
        />
      ) : null}
    </div>
  );
}

function FingerprintCheck({ name, fingerprint }: { name: string; fingerprint: string }) {
  return (
    <div className="fingerprint-box">
      <span className="fingerprint-caption">Fingerprint</span>
      <Fingerprint value={fingerprint} size="large" label={`Fingerprint of ${name}`} />
      <p className="fingerprint-instructions">
        Speak to {name} in person or on the phone. Ask them to read out the fingerprint shown under <em>Your card</em> in their Hearing Desk,
        and compare it group by group with the one above.
      </p>
    </div>
  );
}

function ImportDialog({
  pending,
  onClose,
  onAdded,
  fallbackFocus,
}: {
  pending: PendingCard;
  onClose: () => void;
  onAdded: (contact: Contact) => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const { card, fingerprint, existingContactId, isSelf } = pending.preview;
  const [compared, setCompared] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const checkboxId = useId();

  async function add(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onAdded(await call('contacts.importCard', { text: pending.text, verified: compared }));
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  return (
    <Dialog title="Check this card before adding it" onClose={onClose} returnFocus={fallbackFocus} size="wide">
      <div className="card-preview">
        <p className="card-preview-source">
          From <span className="path">{pending.source}</span>
        </p>
        <p className="card-preview-name">{card.name}</p>
        <p className="card-preview-role">{ROLE_LABELS[card.role]}</p>
      </div>
      {isSelf ? (
        <>
          <ErrorMessage>This is your own card. Only other participants’ cards go in your address book.</ErrorMessage>
          <div className="dialog-actions">
            <Button variant="primary" onClick={onClose}>
              Close
            </Button>
          </div>
        </>
      ) : (
        <form onSubmit={add} noValidate>
          {existingContactId ? <Notice>{card.name} is already in your address book. Adding this card updates their details.</Notice> : null}
          <FingerprintCheck name={card.name} fingerprint={fingerprint} />
          <div className="checkbox">
            <input id={checkboxId} type="checkbox" checked={compared} onChange={(event) => setCompared(event.target.checked)} />
            <label htmlFor={checkboxId}>I compared this fingerprint with its owner</label>
          </div>
          <p className="field-hint checkbox-hint">
            If you cannot compare it now, you can still add the card. It will be marked <strong>Not verified</strong> until you do.
          </p>
          <ErrorMessage>{error}</ErrorMessage>
          <div className="dialog-actions">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" busy={busy} busyLabel="Adding…">
              Add to address book
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function VerifyDialog({ contact, onClose, onVerified }: { contact: Contact; onClose: () => void; onVerified: (contact: Contact) => void }) {
  const [compared, setCompared] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const checkboxId = useId();
  const checkboxRef = useRef<HTMLInputElement>(null);

  async function verify(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!compared) {
      setError('Tick the box once you have compared the fingerprint with its owner.');
      checkboxRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onVerified(await call('contacts.setVerified', { id: contact.id, verified: true }));
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Verify ${contact.name}`} onClose={onClose} initialFocus={checkboxRef} size="wide">
      <form onSubmit={verify} noValidate>
        <FingerprintCheck name={contact.name} fingerprint={contact.fingerprint} />
        <div className="checkbox">
          <input
            id={checkboxId}
            ref={checkboxRef}
            type="checkbox"
            checked={compared}
            onChange={(event) => {
              setCompared(event.target.checked);
              if (event.target.checked) setError(null);
            }}
          />
          <label htmlFor={checkboxId}>I compared this fingerprint with its owner</label>
        </div>
        <ErrorMessage>{error}</ErrorMessage>
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} busyLabel="Saving…">
            Mark as verified
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function RemoveDialog({
  contact,
  onClose,
  onRemoved,
  fallbackFocus,
}: {
  contact: Contact;
  onClose: () => void;
  onRemoved: (contact: Contact) => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  async function remove() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await call('contacts.remove', { id: contact.id });
      onRemoved(contact);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Remove ${contact.name}?`} onClose={onClose} initialFocus={cancelRef} fallbackFocus={fallbackFocus}>
      <p>
        {contact.name} will no longer be in your address book. You will not be able to seal papers for them or check their signature until
        you import their card again{contact.verifiedAt ? ' and compare its fingerprint once more' : ''}.
      </p>
      <ErrorMessage>{error}</ErrorMessage>
      <div className="dialog-actions">
        <Button ref={cancelRef} onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" busy={busy} busyLabel="Removing…" onClick={() => void remove()}>
          Remove
        </Button>
      </div>
    </Dialog>
  );
}
