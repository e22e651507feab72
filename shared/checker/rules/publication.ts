// Rules about what the central office publishes each quarter (action plan 2.4, 2.7, 4.1): every field it
// counts by, and an anonymised summary of reasons that names nobody.
import { isFilled } from '../../domain/common';
import { deriveOutcomeCategory } from '../../domain/outcome';
import type { RuleImplementation } from '../rule';

export const publicationFields: RuleImplementation<'publication-fields'> = (rule, input, emit) => {
  const { caseFile, draft } = input;
  for (const field of rule.fields) {
    switch (field) {
      case 'complaint-type':
        if (!caseFile.complaintType) emit({ message: 'Record the complaint type (social media, comment in a meeting …) for publication.', fields: ['case.complaintType'] });
        break;
      case 'region':
        if (!caseFile.region) emit({ message: 'Record the region for publication.', fields: ['case.region'] });
        break;
      case 'deciding-body':
        // Always present: a case cannot be created without its deciding body.
        break;
      case 'outcome-category':
        if (deriveOutcomeCategory(input.criteria, caseFile, draft) === null) {
          // Point at what keeps the category unknown: the first undecided allegation, else the sanction.
          const undecided = input.allegations.find((record) => record.entry?.finding == null);
          const cause = undecided ? (undecided.entry ? `allegations.${undecided.entryIndex}.finding` : 'allegations') : draft.sanction ? 'sanction.rungId' : 'sanction';
          emit({
            message: 'The published outcome category is not known yet: decide every allegation and, when conduct is proven, choose a sanction from the ladder.',
            fields: [cause],
            fieldKey: 'outcome-category',
          });
        }
        break;
      case 'complaint-received':
        if (!caseFile.dates.complaintReceived) emit({ message: 'Record when the complaint was received, for publication.', fields: ['case.dates.complaintReceived'] });
        break;
      case 'hearing-date':
        if (!caseFile.dates.hearing) emit({ message: 'Record the hearing date, for publication.', fields: ['case.dates.hearing'] });
        break;
      case 'decision-date':
        if (!draft.decisionDate) emit({ message: 'Record the decision date.', fields: ['decisionDate'] });
        break;
      case 'publication-summary':
        if (!isFilled(draft.publicationSummary, rule.minSummaryLength)) {
          emit({
            message: `Write the anonymised summary of reasons for publication (at least ${rule.minSummaryLength} characters).`,
            fields: ['publicationSummary'],
          });
        }
        break;
    }
  }
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches the words as a whole (not inside a longer word), any case, any run of spaces between them. */
function wordPattern(words: readonly string[]): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.map(escapeRegExp).join('\\s+')}(?![\\p{L}\\p{N}])`, 'iu');
}

export const publicationNames: RuleImplementation<'publication-names'> = (rule, input, emit) => {
  const summary = input.draft.publicationSummary;
  if (!summary.trim()) return;
  for (const entry of input.participants) {
    const words = entry.participant.name.split(/\s+/).filter(Boolean);
    let found: string | null = null;
    if (rule.match === 'full-name') {
      if (words.length > 0 && wordPattern(words).test(summary)) found = entry.participant.name;
    } else {
      const parts = entry.participant.name.split(/[\s\-\u2010\u2011'\u2019.,]+/u).filter((part) => [...part].length >= rule.minPartLength);
      found = parts.find((part) => wordPattern([part]).test(summary)) ?? null;
    }
    if (found === null) continue;
    const what = rule.match === 'full-name' ? `names ${entry.participant.role.replace('-', ' ')} ${found}` : `contains "${found}", part of a participant's name`;
    emit({
      message: `The published summary ${what}. Publication is anonymised: remove it or use a role instead.`,
      fields: ['publicationSummary'],
      fieldKey: `name#${entry.participant.id}`,
    });
  }
};
