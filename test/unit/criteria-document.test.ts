// The criteria document schema and the SAMPLE document that ships with the app.
import { describe, expect, it } from 'vitest';
import { sampleCriteria } from '../../shared/criteria';
import sampleJson from '../../shared/criteria/sample-criteria.json';
import { CriteriaDocument } from '../../shared/domain/criteria';

type Json = Record<string, any>;
const sample = (): Json => structuredClone(sampleJson) as Json;

function problems(change: (doc: Json) => void): string[] {
  const doc = sample();
  change(doc);
  const parsed = CriteriaDocument.safeParse(doc);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('the sample criteria', () => {
  it('pass the schema and are labelled SAMPLE, in the flag and the title', () => {
    const criteria = sampleCriteria();
    expect(criteria.sample).toBe(true);
    expect(criteria.title).toContain('SAMPLE');
    expect(criteria.publisher.role).toBe('central-office');
  });

  it('cite a paragraph of a listed source for every rule, rung, category and factor', () => {
    const criteria = sampleCriteria();
    const sources = new Set(criteria.sources.map((source) => source.id));
    const citations = [
      ...criteria.rules.map((rule) => rule.citation),
      ...criteria.ladder.map((rung) => rung.citation),
      ...criteria.conductCategories.map((category) => category.citation),
      ...criteria.aggravatingFactors.map((factor) => factor.citation),
      ...criteria.mitigatingFactors.map((factor) => factor.citation),
      criteria.outcomeSignatures.citation,
    ];
    for (const citation of citations) {
      expect(sources).toContain(citation.source);
      expect(citation.paragraph.trim()).not.toBe('');
    }
  });

  it('carry the action plan’s requirements as data (2.2, 2.3, 2.5, 2.6, 3.1, 3.2, 4.2)', () => {
    const criteria = sampleCriteria();
    const paragraphs = new Set(criteria.rules.filter((rule) => rule.citation.source === 'action-plan-2020').map((rule) => rule.citation.paragraph));
    for (const paragraph of ['2.2', '2.3', '2.4', '2.6', '2.7', '3.1', '3.2', '4.1', '4.2']) expect(paragraphs).toContain(paragraph);
    const course = criteria.rules.find((rule) => rule.check === 'education-course');
    expect(course).toMatchObject({ dueWithinDays: 28, exemptRungIds: ['expulsion'], conductTags: ['antisemitism'] });
    const sharing = criteria.conductCategories.find((category) => category.id === 'sharing-antisemitic-content');
    expect(sharing?.citation.paragraph).toBe('2.5');
    expect(criteria.rules.find((rule) => rule.check === 'barred-offices')).toMatchObject({ offices: expect.arrayContaining([expect.objectContaining({ id: 'leaders-office' })]) });
  });

  it('are a fresh copy on every call', () => {
    const first = sampleCriteria();
    first.ladder.pop();
    expect(sampleCriteria().ladder.length).toBe(first.ladder.length + 1);
  });
});

describe('the criteria schema refuses documents that cannot be right', () => {
  const cases: [string, (doc: Json) => void, string][] = [
    ['a sample whose title does not say so', (d) => void (d.title = 'Sanctions criteria'), 'title'],
    ['an end before the start', (d) => void (d.effectiveUntil = '2025-12-31'), 'effectiveUntil'],
    ['in force before it was published', (d) => void (d.effectiveFrom = '2025-12-01'), 'effectiveFrom'],
    ['an impossible date', (d) => void (d.publishedOn = '2026-02-30'), 'publishedOn'],
    ['a negative time limit', (d) => void (d.rules.find((r: Json) => r.check === 'timescales').limits[0].maxDays = -1), 'rules.15.limits.0.maxDays'],
    ['an absurd time limit', (d) => void (d.rules.find((r: Json) => r.check === 'education-course').dueWithinDays = 1_000_000), 'rules.9.dueWithinDays'],
    ['a term whose maximum is below its minimum', (d) => void (d.ladder[4].parameters[0].max = 0), 'ladder.4.parameters.0.max'],
    ['a term range with min above max', (d) => void (d.ladder[3].parameters[0].min = 40), 'ladder.3.parameters.0.max'],
    ['a range that runs from more to less serious', (d) => void (d.conductCategories[0].indicatedRanges[0].from = 'expulsion'), 'conductCategories.0.indicatedRanges.0.to'],
    ['a range naming an unknown rung', (d) => void (d.conductCategories[1].indicatedRanges[1].to = 'banishment'), 'conductCategories.1.indicatedRanges.1.to'],
    ['a category with no range for a band', (d) => void d.conductCategories[2].indicatedRanges.pop(), 'conductCategories.2.indicatedRanges'],
    ['a citation of an unlisted source', (d) => void (d.rules[0].citation.source = 'hearsay'), 'rules.0.citation.source'],
    ['two rules with one id', (d) => void (d.rules[1].id = d.rules[0].id), 'rules.1.id'],
    ['an education rule exempting an unknown rung', (d) => void d.rules.find((r: Json) => r.check === 'education-course').exemptRungIds.push('exile'), 'rules.9.exemptRungIds.1'],
    ['a panel needing more seats than members', (d) => void (d.rules.find((r: Json) => r.check === 'panel-composition').panels[2].maxMembers = 2), 'rules.14.panels.2'],
    ['an unknown kind of rule', (d) => void (d.rules[0].check = 'vibes'), 'rules.0.check'],
    ['an unknown field', (d) => void (d.extra = true), ''],
    ['a publisher that is not the central office', (d) => void (d.publisher.role = 'clerk'), 'publisher.role'],
  ];
  it.each(cases)('%s', (_name, change, path) => {
    const found = problems(change);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((problem) => problem.startsWith(path))).toBe(true);
  });
});
