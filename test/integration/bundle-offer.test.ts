// A bundle file arriving from outside the pickers (dropped on the window, opened from the file manager) is previewed
// in main and offered to the renderer as a 'bundles.offered' event; the token it carries imports it; a file that is
// not a readable bundle is reported in plain words. Real profiles, real sealed file (the demo hearing's path).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, type EventName, type EventPayload } from '../../shared/contract';
import { createCaseServices, offerBundleFile } from '../../electron/bundle-handlers';
import { createHandlers } from '../../electron/handlers';
import { createDispatcher } from '../../electron/ipc';
import { sealDemoHearing } from '../../electron/services/demo-hearing';
import { createPerson, type Person } from '../helpers/people';
import { tempDir } from '../helpers/temp';

let panellist: Person;
let work: ReturnType<typeof tempDir>;

beforeAll(async () => {
  panellist = await createPerson('Robin Testwell', 'panellist');
  work = tempDir('hd-offer-');
});
afterAll(() => {
  panellist?.cleanup();
  work?.cleanup();
});

describe('bundle files offered from outside the pickers', () => {
  it('previews a dropped file, offers it with a token, and the token imports it through the contract', async () => {
    const services = createCaseServices(panellist.session);
    const offers: EventPayload<'bundles.offered'>[] = [];
    const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => {
      if (name === 'bundles.offered') offers.push(events['bundles.offered'].parse(payload));
    };
    const dispatch = createDispatcher(createHandlers(panellist.session, null, { services, emit }));

    // A real sealed bundle on disk, as a clerk would send it: the demo hearing, sealed to this profile.
    const path = join(work.path, 'dropped.hdbundle');
    writeFileSync(path, await sealDemoHearing(panellist.session));

    await offerBundleFile(panellist.session, services, emit, path);
    expect(offers).toHaveLength(1);
    const offer = offers[0]!;
    expect(offer.error).toBeNull();
    expect(offer.preview).toMatchObject({ reference: 'DEMO-2026-001', fileName: 'dropped.hdbundle', expired: false });
    const imported = await dispatch('bundles.import', { token: offer.preview!.token, trustSealer: true });
    expect(imported.ok).toBe(true);
    const listed = await dispatch('cases.list', {});
    expect(listed.ok && (listed.value as { reference: string }[]).map((c) => c.reference)).toEqual(['DEMO-2026-001']);
    // A token is single use.
    expect(await dispatch('bundles.import', { token: offer.preview!.token, trustSealer: true })).toMatchObject({ ok: false, error: { code: 'file-unreadable' } });
  });

  it('a dropped file that is not a bundle is offered as a plain error, and nothing is stored', async () => {
    const services = createCaseServices(panellist.session);
    const offers: EventPayload<'bundles.offered'>[] = [];
    const path = join(work.path, 'notes.hdbundle');
    writeFileSync(path, 'minutes of a meeting, not a sealed file');
    await offerBundleFile(panellist.session, services, (name, payload) => name === 'bundles.offered' && offers.push(payload as EventPayload<'bundles.offered'>), path);
    expect(offers[0]).toMatchObject({ preview: null, error: { code: 'not-age-file', fileName: 'notes.hdbundle' } });
    expect(services.chosenFiles.size).toBe(0);
  });

  it('any other file of the app, opened from the file manager, is explained: where in the app it belongs', async () => {
    const services = createCaseServices(panellist.session);
    const offers: EventPayload<'bundles.offered'>[] = [];
    for (const [name, where] of [
      ['NCC-2026-0417-record.hdforsignature', /Outcome and signatures.*Open the record for signature…/],
      ['signature-wren.hdsignature', /Add returned signatures…/],
      ['NCC-2026-0417-outcome.hdoutcome', /Ingest outcome packages…/],
      ['Robin.hdcard', /Address book.*Import card…/],
      ['notes.hdnotes', /Import a pack…/],
    ] as const) {
      const path = join(work.path, name);
      writeFileSync(path, 'age-encryption.org/v1\n');
      await offerBundleFile(panellist.session, services, (event, payload) => event === 'bundles.offered' && offers.push(events['bundles.offered'].parse(payload)), path);
      expect(offers.at(-1)).toMatchObject({ preview: null, error: { code: 'not-a-bundle', fileName: name } });
      expect(offers.at(-1)!.error!.message).toMatch(where);
    }
    expect(services.chosenFiles.size).toBe(0);
  });
});
