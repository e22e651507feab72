// Properties of the audit trail over a real SQLCipher vault: any single change to the stored trail (one field of
// one row, a deleted row, two rows swapped, the head) is detected, at the changed entry when one entry changed;
// verify never throws; and every valid entry round-trips and verifies while every invalid one is refused whole.
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../electron/services/audit';
import { AUDIT_ACTIONS, type AuditVerification } from '../../shared/domain/audit';
import { AppError } from '../../shared/errors';
import { createPerson, type Person } from '../helpers/people';

const ENTRIES = 40;
const COLUMNS = ['counter', 'case_id', 'action', 'object', 'actor', 'device_time', 'details_json', 'previous_hash', 'hash'] as const;
type Column = (typeof COLUMNS)[number];
type SqlValue = string | number | bigint | Buffer | null;

/** Every stored byte of the trail, with SQLite's storage types told apart (text '1' is not integer 1). */
function snapshot(db: Database): string {
  const tag = (value: unknown) => (Buffer.isBuffer(value) ? `blob:${value.toString('hex')}` : `${typeof value}:${String(value)}`);
  const rows = db.prepare('SELECT * FROM audit_entries ORDER BY counter').raw().all() as unknown[][];
  const head = db.prepare('SELECT * FROM audit_head').raw().all() as unknown[][];
  return JSON.stringify([rows.map((row) => row.map(tag)), head.map((row) => row.map(tag))]);
}

/** A value that differs from `current` by one character, or a new value of any SQLite type. */
const replacement = (current: string) =>
  fc.oneof(
    fc.record({ at: fc.nat(), char: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) }).map(({ at, char }) => {
      const index = current.length === 0 ? 0 : at % current.length;
      return current.slice(0, index) + char + current.slice(index + 1);
    }),
    fc.record({ at: fc.nat(), text: fc.string({ maxLength: 3 }) }).map(({ at, text }) => {
      const index = at % (current.length + 1);
      return current.slice(0, index) + text + current.slice(index);
    }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.integer({ min: -5, max: ENTRIES * 3 }),
    fc.double({ noNaN: true }),
    fc.constant(null),
    fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes)),
    fc.constant(Buffer.from(current, 'utf8')),
  ) as fc.Arbitrary<SqlValue>;

type Mutation =
  | { kind: 'update'; counter: number; column: Column; value: SqlValue }
  | { kind: 'delete'; counter: number }
  | { kind: 'swap'; counter: number; other: number }
  | { kind: 'head'; column: 'counter' | 'hash'; value: SqlValue };

function mutationArbitrary(db: Database): fc.Arbitrary<Mutation> {
  const counter = fc.integer({ min: 1, max: ENTRIES });
  const current = (n: number, column: string) => String((db.prepare(`SELECT ${column} AS v FROM audit_entries WHERE counter = ?`).get(n) as { v: unknown }).v);
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(counter, fc.constantFrom(...COLUMNS)).chain(([n, column]) => replacement(current(n, column)).map((value): Mutation => ({ kind: 'update', counter: n, column, value }))) },
    { weight: 1, arbitrary: counter.map((n): Mutation => ({ kind: 'delete', counter: n })) },
    { weight: 1, arbitrary: fc.tuple(counter, counter).filter(([a, b]) => a !== b).map(([a, b]): Mutation => ({ kind: 'swap', counter: Math.min(a, b), other: Math.max(a, b) })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('counter' as const, 'hash' as const).chain((column) =>
        replacement(String((db.prepare(`SELECT ${column} AS v FROM audit_head`).get() as { v: unknown }).v)).map((value): Mutation => ({ kind: 'head', column, value })),
      ),
    },
  );
}

/** Applies the mutation; false when SQLite's own constraints refused it (then nothing changed). */
function apply(db: Database, mutation: Mutation): boolean {
  try {
    switch (mutation.kind) {
      case 'update':
        db.prepare(`UPDATE audit_entries SET ${mutation.column} = ? WHERE counter = ?`).run(mutation.value, mutation.counter);
        return true;
      case 'delete':
        db.prepare('DELETE FROM audit_entries WHERE counter = ?').run(mutation.counter);
        return true;
      case 'swap': {
        const columns = COLUMNS.filter((c) => c !== 'counter');
        const read = db.prepare(`SELECT ${columns.join(', ')} FROM audit_entries WHERE counter = ?`).raw();
        const a = read.get(mutation.counter) as SqlValue[];
        const b = read.get(mutation.other) as SqlValue[];
        const write = db.prepare(`UPDATE audit_entries SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE counter = ?`);
        write.run(...b, mutation.counter);
        write.run(...a, mutation.other);
        return true;
      }
      case 'head':
        db.prepare(`UPDATE audit_head SET ${mutation.column} = ?`).run(mutation.value);
        return true;
    }
  } catch (error) {
    if (error instanceof Error && /constraint|datatype mismatch/i.test(error.message)) return false;
    throw error;
  }
}

/** Where a single mutation must be reported; null when any broken report will do (the head changed). */
function expectedBreak(mutation: Mutation): number | null {
  return mutation.kind === 'head' ? null : mutation.counter;
}

describe('audit trail under arbitrary tampering', () => {
  let person: Person;
  let trail: AuditTrail;
  let db: Database;

  beforeAll(async () => {
    person = await createPerson('Ines Harrow', 'panellist');
    trail = new AuditTrail(person.session, () => new Date('2026-10-05T14:00:00.000Z'));
    db = person.session.requireVault().db;
    for (let i = 0; i < ENTRIES; i++) {
      trail.append({
        caseId: i % 4 === 0 ? null : `case-${i % 3}`,
        action: AUDIT_ACTIONS[i % AUDIT_ACTIONS.length]!,
        object: `object ${i} — ünïcode ✓ 𝄞`,
        details: i % 2 === 0 ? { page: i, ratio: i / 7, ok: i % 3 === 0, none: null, text: `t${i}` } : {},
      });
    }
    expect(trail.verify()).toMatchObject({ ok: true, count: ENTRIES });
  });
  afterAll(() => person.cleanup());

  it('detects any single mutation of any row, at the entry that changed', () => {
    const original = snapshot(db);
    let detected = 0;
    fc.assert(
      fc.property(mutationArbitrary(db), (mutation) => {
        db.exec('SAVEPOINT fuzz');
        let report: AuditVerification;
        let changed: boolean;
        try {
          changed = apply(db, mutation) && snapshot(db) !== original;
          report = trail.verify();
        } finally {
          db.exec('ROLLBACK TO fuzz; RELEASE fuzz');
        }
        if (!changed) {
          expect(report).toMatchObject({ ok: true, count: ENTRIES });
          return;
        }
        detected++;
        expect(report.ok, JSON.stringify(mutation)).toBe(false);
        const at = expectedBreak(mutation);
        if (at !== null && !report.ok) expect(report.brokenAt, `${JSON.stringify(mutation)} → ${report.message}`).toBe(at);
        if (!report.ok) expect(report.message).toMatch(/entry \d+|last entry/);
      }),
      { numRuns: 1_000 },
    );
    expect(snapshot(db)).toBe(original);
    // Most generated mutations must really change something, or the property would say little.
    expect(detected).toBeGreaterThan(700);
  });

  it('round-trips and verifies every valid entry, and refuses every invalid one whole', () => {
    const detailValue = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null));
    const input = fc.record({
      caseId: fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), { nil: null }),
      action: fc.constantFrom(...AUDIT_ACTIONS),
      object: fc.string({ unit: 'binary', maxLength: 60 }),
      details: fc.option(fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,10}$/), detailValue, { maxKeys: 6 }), { nil: undefined }),
    });
    const hostile = fc.oneof(input.map((value) => value as unknown), fc.anything(), fc.record({ caseId: fc.anything(), action: fc.anything(), object: fc.anything(), details: fc.anything() }));
    let appended = 0;
    fc.assert(
      fc.property(hostile, (candidate) => {
        const headBefore = trail.head();
        let entry;
        try {
          entry = trail.append(candidate as never);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('audit-invalid-entry');
          expect(trail.head()).toEqual(headBefore);
          return;
        }
        appended++;
        expect(entry.counter).toBe(headBefore!.counter + 1);
        expect(trail.entries({ limit: 1 })[0]).toEqual(entry);
        const given = candidate as { caseId: string | null; object: string; details?: Record<string, unknown> };
        expect(entry.object).toBe(given.object);
        expect(entry.caseId).toBe(given.caseId);
        // -0 is stored as 0 by canonical JSON, which is how JSON has no negative zero.
        expect(entry.details).toEqual(JSON.parse(JSON.stringify(given.details ?? {})));
      }),
      { numRuns: 400 },
    );
    expect(appended).toBeGreaterThan(100);
    expect(trail.verify()).toMatchObject({ ok: true, count: ENTRIES + appended });
  });
});
