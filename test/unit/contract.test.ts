// The dispatcher is the only door from the renderer: every call's input is validated before a handler runs,
// every result after. These tests drive the real contract with real handlers over a real session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_NAMES, contract, type CallName } from '../../shared/contract';
import { createDispatcher, type Handlers } from '../../electron/ipc';
import { createHandlers } from '../../electron/handlers';
import { Session } from '../../electron/services/session';
import { tempDir, TEST_SCRYPT } from '../helpers/temp';

/** A payload that is wrong for each call: unknown fields are refused by the strict schemas, wrong types by all. */
const MALFORMED: Record<CallName, unknown[]> = Object.fromEntries(
  CALL_NAMES.map((name) => [name, [null, 42, 'text', [], { unexpected: true }, { __proto__: { polluted: true }, extra: 1 }]]),
) as Record<CallName, unknown[]>;
MALFORMED['profile.create'].push({ name: '', role: 'panellist', passphrase: 'a long enough passphrase' });
MALFORMED['profile.create'].push({ name: 'Alex Morgan', role: 'leader', passphrase: 'a long enough passphrase' });
MALFORMED['vault.unlock'].push({ passphrase: 123 }, { passphrase: 'x'.repeat(5000) });
MALFORMED['settings.update'].push({ idleLockMinutes: -5 }, { idleLockMinutes: 0.5 }, { idleLockMinutes: 100000 });
MALFORMED['contacts.importCard'].push({ text: 'x', verified: 'yes' });

describe('contract dispatcher', () => {
  const dir = tempDir();
  const calls: string[] = [];
  const session = new Session({ profileDirectory: dir.path, dialogs: { saveFile: async () => null }, scrypt: TEST_SCRYPT });
  const realHandlers = createHandlers(session);
  const spyHandlers = Object.fromEntries(
    Object.entries(realHandlers).map(([name, handler]) => [name, (input: unknown) => { calls.push(name); return (handler as (i: unknown) => unknown)(input); }]),
  ) as unknown as Handlers;
  const dispatch = createDispatcher(spyHandlers, { logError: () => undefined });

  beforeAll(async () => {
    const created = await dispatch('profile.create', { name: 'Alex Morgan', role: 'chair', passphrase: 'orchard lantern copper meadow' });
    expect(created.ok).toBe(true);
  });
  afterAll(() => { session.lock(); dir.cleanup(); });

  it('declares an input and an output schema for every call', () => {
    for (const name of CALL_NAMES) {
      expect(contract[name].input, name).toBeDefined();
      expect(contract[name].output, name).toBeDefined();
    }
  });

  it.each(CALL_NAMES)('rejects malformed payloads for %s before any handler runs', async (name) => {
    calls.length = 0;
    for (const payload of MALFORMED[name]) {
      const result = await dispatch(name, payload);
      expect(result.ok, `${name} accepted ${JSON.stringify(payload)}`).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid-input');
        expect(result.error.message).toContain(name);
      }
    }
    expect(calls).toEqual([]);
  });

  it('rejects unknown call names', async () => {
    for (const name of ['fs.readFile', '__proto__', 'constructor', 42, null]) {
      const result = await dispatch(name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    }
  });

  it('refuses a result carrying an undeclared field, such as a secret key, and does not leak it', async () => {
    const logged: string[] = [];
    const leaky = createDispatcher(
      { ...realHandlers, 'identity.myCard': () => ({ ...session.myCard(), secretKey: 'AGE-SECRET-KEY-1LEAKED' }) } as unknown as Handlers,
      { logError: (_name, error) => logged.push(String(error)) },
    );
    const result = await leaky('identity.myCard', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-output' } });
    expect(JSON.stringify(result)).not.toContain('LEAKED');
    expect(logged.join('\n')).not.toContain('LEAKED');
    // The well-behaved handler passes.
    const good = await dispatch('identity.myCard', {});
    expect(good.ok).toBe(true);
  });

  it('refuses a result of the wrong shape', async () => {
    const wrong = createDispatcher({ ...realHandlers, 'session.status': () => ({ state: 'open' }) } as unknown as Handlers, { logError: () => undefined });
    expect(await wrong('session.status', {})).toMatchObject({ ok: false, error: { code: 'invalid-output' } });
  });

  it('turns unexpected exceptions into a plain message without a stack', async () => {
    const failing = createDispatcher({ ...realHandlers, 'cases.list': () => { throw new TypeError('secret internal detail at /home/x'); } } as unknown as Handlers, { logError: () => undefined });
    const result = await failing('cases.list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toMatch(/secret internal detail|at \//);
  });

  it('passes typed service errors through with their code and message', async () => {
    const result = await dispatch('contacts.previewCard', { text: 'not a card' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-card' } });
  });
});
