// Golden scenarios: each starts from the fully valid baseline (test/fixtures/checker), changes one thing,
// and lists exactly the findings the checker must give (rule id, severity, fieldKey). Each is written from a
// rule of the SAMPLE criteria, named in `rule`. Every mutated case and draft is re-validated by its schema,
// so every scenario is one the app could really meet.
import { describe, expect, it } from 'vitest';
import { canFinalise, checkDecision, CheckResultSchema, type HistoricalOutcome } from '../../shared/checker';
import { CaseFile } from '../../shared/domain/case';
import { CriteriaDocument } from '../../shared/domain/criteria';
import { DecisionDraft } from '../../shared/domain/decision';
import { AT, baselineCase, baselineDraft, baselineHistory, CRITERIA, IDS } from '../fixtures/checker/baseline';

type Expected = [ruleId: string, severity: 'block' | 'warn' | 'info', fieldKey: string, acknowledged?: 'acknowledged'];

interface Scenario {
  name: string;
  /** The sample-criteria rule the scenario is written from. */
  rule: string;
  caseFile?: (caseFile: CaseFile) => void;
  draft?: (draft: DecisionDraft) => void;
  criteria?: (criteria: CriteriaDocument) => void;
  history?: HistoricalOutcome[];
  /** Exactly the block and warn findings, in order. */
  expect: Expected[];
  /** Exactly the info findings; by default the baseline's consistency note. */
  info?: Expected[];
}

const CONSISTENT: Expected = ['consistency-with-earlier-outcomes', 'info', 'sanction.rungId'];
const LONG_REASON = 'The panel gives its reasons at length here, well beyond the minimum the criteria ask for.';

function ruleOf<T extends CriteriaDocument['rules'][number]['check']>(criteria: CriteriaDocument, check: T) {
  const rule = criteria.rules.find((candidate) => candidate.check === check);
  if (!rule) throw new Error(`no ${check} rule`);
  return rule as Extract<CriteriaDocument['rules'][number], { check: T }>;
}

const provenOnly = (draft: DecisionDraft, numbers: number[]) => {
  for (const entry of draft.allegations) entry.finding = numbers.includes(entry.number) ? 'proven' : 'not-proven';
};

const expel = (draft: DecisionDraft) => {
  draft.seriousness!.band = 'higher';
  draft.sanction = {
    ...draft.sanction!,
    rungId: 'expulsion',
    parameters: { 'rejoin-bar-years': 5 },
    lesserRungReasons: { ...draft.sanction!.lesserRungReasons, suspension: 'A suspension would not protect members from a repeat.' },
  };
  delete draft.sanction.nextRungReason;
};

const SCENARIOS: Scenario[] = [
  // criteria-in-force
  {
    name: 'the case names another version of the criteria',
    rule: 'criteria-in-force',
    caseFile: (c) => void (c.criteria.version = '2025.4'),
    expect: [['criteria-in-force', 'block', 'case.criteria.version']],
  },
  {
    name: 'the decision is dated after the criteria stopped being in force',
    rule: 'criteria-in-force',
    criteria: (k) => void (k.effectiveUntil = '2026-04-01'),
    expect: [['criteria-in-force', 'block', 'decisionDate']],
  },
  {
    name: 'an allegation is in a conduct category the criteria do not define',
    rule: 'criteria-in-force',
    caseFile: (c) => void (c.allegations[2]!.conductCategoryId = 'general-rudeness'),
    expect: [['criteria-in-force', 'block', 'case.allegations.2.conductCategoryId']],
  },
  // findings-with-reasons
  {
    name: 'an allegation is left undecided',
    rule: 'findings-with-reasons',
    draft: (d) => void (d.allegations[2]!.finding = null),
    expect: [
      ['findings-with-reasons', 'block', 'allegations.2.finding'],
      ['publication-fields', 'block', 'outcome-category'],
    ],
  },
  {
    name: 'the reasons for a finding are too short',
    rule: 'findings-with-reasons',
    draft: (d) => void (d.allegations[0]!.reasons = 'Proven.'),
    expect: [['findings-with-reasons', 'block', 'allegations.0.reasons']],
  },
  {
    name: 'an allegation in the case has no entry in the decision',
    rule: 'findings-with-reasons',
    draft: (d) => void d.allegations.pop(),
    expect: [
      ['findings-with-reasons', 'block', 'allegations#3'],
      ['publication-fields', 'block', 'outcome-category'],
    ],
  },
  {
    name: 'the decision records an allegation the case does not have',
    rule: 'findings-with-reasons',
    draft: (d) => void d.allegations.push({ number: 9, facts: '', evidenceRefs: [], finding: 'not-proven', reasons: LONG_REASON }),
    expect: [['findings-with-reasons', 'block', 'allegations.3.number']],
  },
  {
    name: 'a withdrawn allegation still needs reasons',
    rule: 'findings-with-reasons',
    draft: (d) => Object.assign(d.allegations[2]!, { finding: 'withdrawn', reasons: '' }),
    expect: [['findings-with-reasons', 'block', 'allegations.2.reasons']],
  },
  // seriousness-assessed
  {
    name: 'conduct is proven but seriousness is not assessed',
    rule: 'seriousness-assessed',
    draft: (d) => void (d.seriousness = null),
    expect: [['seriousness-assessed', 'block', 'seriousness']],
    info: [],
  },
  {
    name: 'no seriousness band is chosen',
    rule: 'seriousness-assessed',
    draft: (d) => void (d.seriousness!.band = null),
    expect: [['seriousness-assessed', 'block', 'seriousness.band']],
    info: [],
  },
  {
    name: 'the band is not one the criteria define',
    rule: 'seriousness-assessed',
    draft: (d) => void (d.seriousness!.band = 'catastrophic'),
    expect: [['seriousness-assessed', 'block', 'seriousness.band']],
    info: [],
  },
  {
    name: 'culpability is not described',
    rule: 'seriousness-assessed',
    draft: (d) => void (d.seriousness!.culpability = '   '),
    expect: [['seriousness-assessed', 'block', 'seriousness.culpability']],
  },
  {
    name: 'harm is not described',
    rule: 'seriousness-assessed',
    draft: (d) => void (d.seriousness!.harm = 'Some.'),
    expect: [['seriousness-assessed', 'block', 'seriousness.harm']],
  },
  {
    name: 'mitigating factors are neither listed nor marked none',
    rule: 'seriousness-assessed',
    draft: (d) => void (d.seriousness!.mitigating = null),
    expect: [['seriousness-assessed', 'block', 'seriousness.mitigating']],
  },
  {
    name: 'mitigating factors marked none is a complete assessment',
    rule: 'seriousness-assessed',
    draft: (d) => void (d.seriousness!.mitigating = 'none'),
    expect: [],
  },
  {
    name: 'an empty aggravating list is not an assessment (and drops the hostility factor)',
    rule: 'seriousness-assessed',
    draft: (d) => void (d.seriousness!.aggravating = []),
    expect: [
      ['seriousness-assessed', 'block', 'seriousness.aggravating'],
      ['hostility-treated-as-aggravating', 'block', 'seriousness.aggravating'],
    ],
  },
  {
    name: 'a mitigating factor the criteria do not list',
    rule: 'seriousness-assessed',
    draft: (d) => void (d.seriousness!.mitigating = [{ factorId: 'well-connected' }]),
    expect: [['seriousness-assessed', 'block', 'seriousness.mitigating.0.factorId']],
  },
  // sanction-available
  {
    name: 'conduct is proven but no sanction is chosen',
    rule: 'sanction-available',
    draft: (d) => void (d.sanction = null),
    expect: [
      ['sanction-available', 'block', 'sanction'],
      ['publication-fields', 'block', 'outcome-category'],
    ],
    info: [],
  },
  {
    name: 'the sanction is not a rung of the ladder',
    rule: 'sanction-available',
    draft: (d) => void (d.sanction!.rungId = 'public-rebuke'),
    expect: [
      ['sanction-available', 'block', 'sanction.rungId'],
      ['publication-fields', 'block', 'outcome-category'],
    ],
    info: [],
  },
  {
    name: 'an NEC panel may not suspend',
    rule: 'sanction-available',
    caseFile: (c) => void (c.decidingBody = 'nec-panel'),
    expect: [['sanction-available', 'block', 'sanction.rungId']],
  },
  {
    name: 'the suspension term is missing',
    rule: 'sanction-available',
    draft: (d) => void delete d.sanction!.parameters['term-months'],
    expect: [['sanction-available', 'block', 'sanction.parameters.term-months']],
  },
  {
    name: 'the suspension term is longer than the ladder allows',
    rule: 'sanction-available',
    draft: (d) => void (d.sanction!.parameters['term-months'] = 61),
    expect: [['sanction-available', 'block', 'sanction.parameters.term-months']],
  },
  {
    name: 'the suspension scope is not one of its options',
    rule: 'sanction-available',
    draft: (d) => void (d.sanction!.parameters.scope = 'branch-meetings'),
    expect: [['sanction-available', 'block', 'sanction.parameters.scope']],
  },
  {
    name: 'a number given where the scope needs a choice',
    rule: 'sanction-available',
    draft: (d) => void (d.sanction!.parameters.scope = 3),
    expect: [['sanction-available', 'block', 'sanction.parameters.scope']],
  },
  {
    name: 'a parameter left over from another rung',
    rule: 'sanction-available',
    draft: (d) => void (d.sanction!.parameters['on-record-months'] = 18),
    expect: [['sanction-available', 'block', 'sanction.parameters.on-record-months']],
  },
  // no-sanction-without-proven-allegation
  {
    name: 'a sanction and course although nothing is proven',
    rule: 'no-sanction-without-proven-allegation',
    draft: (d) => provenOnly(d, []),
    expect: [
      ['no-sanction-without-proven-allegation', 'block', 'sanction'],
      ['no-sanction-without-proven-allegation', 'block', 'orders.educationCourse'],
    ],
    info: [],
  },
  {
    name: 'nothing proven and no further action is a complete decision',
    rule: 'no-sanction-without-proven-allegation',
    draft: (d) => {
      provenOnly(d, []);
      d.seriousness = null;
      d.sanction = { rungId: 'no-further-action', parameters: {}, lesserRungReasons: {} };
      d.orders.educationCourse = null;
    },
    expect: [],
    info: [],
  },
  // sanction-within-indicated-range
  {
    name: 'a sanction below the indicated range without reasons (and far from earlier outcomes)',
    rule: 'sanction-within-indicated-range',
    draft: (d) => Object.assign(d.sanction!, { rungId: 'reminder-of-conduct', parameters: {} }),
    expect: [
      ['sanction-within-indicated-range', 'block', 'sanction.departureReason'],
      ['consistency-with-earlier-outcomes', 'warn', 'sanction.rungId'],
    ],
    info: [],
  },
  {
    name: 'a sanction below the range with the departure reasoned',
    rule: 'sanction-within-indicated-range',
    draft: (d) => Object.assign(d.sanction!, { rungId: 'reminder-of-conduct', parameters: {}, departureReason: LONG_REASON }),
    expect: [['consistency-with-earlier-outcomes', 'warn', 'sanction.rungId']],
    info: [['sanction-within-indicated-range', 'info', 'sanction.departureReason']],
  },
  {
    name: 'expulsion is above the range for medium seriousness',
    rule: 'sanction-within-indicated-range',
    draft: (d) => {
      expel(d);
      d.seriousness!.band = 'medium';
    },
    expect: [['sanction-within-indicated-range', 'block', 'sanction.departureReason']],
  },
  {
    name: 'the higher band moves the range (suspension is inside it)',
    rule: 'sanction-within-indicated-range',
    draft: (d) => void (d.seriousness!.band = 'higher'),
    expect: [],
  },
  {
    name: 'the most serious proven conduct sets the range',
    rule: 'sanction-within-indicated-range',
    // Sharing alone would allow a reminder of conduct (medium); the proven antisemitic post does not.
    draft: (d) => Object.assign(d.sanction!, { rungId: 'reminder-of-conduct', parameters: {} }),
    history: [],
    expect: [['sanction-within-indicated-range', 'block', 'sanction.departureReason']],
  },
  // least-serious-first
  {
    name: 'no reason why a formal warning would not be enough',
    rule: 'least-serious-first',
    draft: (d) => void delete d.sanction!.lesserRungReasons['formal-warning'],
    expect: [['least-serious-first', 'block', 'sanction.lesserRungReasons.formal-warning']],
  },
  {
    name: 'a token reason for passing over no further action',
    rule: 'least-serious-first',
    draft: (d) => void (d.sanction!.lesserRungReasons['no-further-action'] = 'No.'),
    expect: [['least-serious-first', 'block', 'sanction.lesserRungReasons.no-further-action']],
  },
  // next-rung-considered
  {
    name: 'no reason why expulsion is not needed',
    rule: 'next-rung-considered',
    draft: (d) => void delete d.sanction!.nextRungReason,
    expect: [['next-rung-considered', 'warn', 'sanction.nextRungReason']],
  },
  {
    name: 'the next-rung warning acknowledged with a reason',
    rule: 'next-rung-considered',
    draft: (d) => {
      delete d.sanction!.nextRungReason;
      d.acknowledgements.push({ ruleId: 'next-rung-considered', reason: 'Expulsion was never argued for.' });
    },
    expect: [['next-rung-considered', 'warn', 'sanction.nextRungReason', 'acknowledged']],
  },
  {
    name: 'an acknowledgement naming another field does not acknowledge the warning',
    rule: 'next-rung-considered',
    draft: (d) => {
      delete d.sanction!.nextRungReason;
      d.acknowledgements.push({ ruleId: 'next-rung-considered', fieldKey: 'sanction.rungId', reason: 'Wrong field.' });
    },
    expect: [['next-rung-considered', 'warn', 'sanction.nextRungReason']],
  },
  {
    name: 'a block cannot be acknowledged away',
    rule: 'least-serious-first',
    draft: (d) => {
      delete d.sanction!.lesserRungReasons['formal-warning'];
      d.acknowledgements.push({ ruleId: 'least-serious-first', reason: 'We would rather not.' });
    },
    expect: [['least-serious-first', 'block', 'sanction.lesserRungReasons.formal-warning']],
  },
  // hostility-treated-as-aggravating
  {
    name: 'proven antisemitic conduct not treated as aggravating',
    rule: 'hostility-treated-as-aggravating',
    draft: (d) => void (d.seriousness!.aggravating = [{ factorId: 'wide-audience' }]),
    expect: [['hostility-treated-as-aggravating', 'block', 'seriousness.aggravating']],
  },
  {
    name: 'hostility not treated as aggravating, with the panel’s reasons',
    rule: 'hostility-treated-as-aggravating',
    draft: (d) => Object.assign(d.seriousness!, { aggravating: [{ factorId: 'wide-audience' }], hostilityNotAggravatingReason: LONG_REASON }),
    expect: [],
  },
  {
    name: 'a protected-characteristic case with only bullying proven still needs the hostility addressed',
    rule: 'hostility-treated-as-aggravating',
    draft: (d) => {
      provenOnly(d, [3]);
      d.seriousness!.aggravating = [{ factorId: 'wide-audience' }];
      d.orders.educationCourse = null;
    },
    expect: [['hostility-treated-as-aggravating', 'block', 'seriousness.aggravating']],
  },
  // education-course-ordered
  {
    name: 'antisemitic conduct proven but no course ordered',
    rule: 'education-course-ordered',
    draft: (d) => void (d.orders.educationCourse = null),
    expect: [['education-course-ordered', 'block', 'orders.educationCourse']],
  },
  {
    name: 'the course is due 29 days after the decision',
    rule: 'education-course-ordered',
    draft: (d) => void (d.orders.educationCourse = { dueDate: '2026-05-26' }),
    expect: [['education-course-ordered', 'block', 'orders.educationCourse.dueDate']],
  },
  {
    name: 'the course due exactly 4 weeks after the decision is in time',
    rule: 'education-course-ordered',
    draft: (d) => void (d.orders.educationCourse = { dueDate: '2026-05-25' }),
    expect: [],
  },
  {
    name: 'an expelled member is not ordered to take the course',
    rule: 'education-course-ordered',
    draft: (d) => {
      expel(d);
      d.orders.educationCourse = null;
    },
    expect: [],
  },
  {
    name: 'sharing antisemitic content alone still needs the course',
    rule: 'education-course-ordered',
    draft: (d) => {
      provenOnly(d, [2]);
      d.orders.educationCourse = null;
    },
    expect: [['education-course-ordered', 'block', 'orders.educationCourse']],
  },
  {
    name: 'the course deadline comes from the criteria (5 weeks)',
    rule: 'education-course-ordered',
    criteria: (k) => void (ruleOf(k, 'education-course').dueWithinDays = 35),
    draft: (d) => void (d.orders.educationCourse = { dueDate: '2026-06-01' }),
    expect: [],
  },
  // external-lawyer-advice
  {
    name: 'an NCC case with no external lawyer',
    rule: 'external-lawyer-advice',
    caseFile: (c) => void c.participants.splice(AT.lawyer, 1),
    draft: (d) => void d.procedural.attendance.pop(),
    expect: [['external-lawyer-advice', 'block', 'lawyer-assigned']],
  },
  {
    name: 'the lawyer’s advice is not recorded',
    rule: 'external-lawyer-advice',
    draft: (d) => void (d.procedural.lawyerAdvice = null),
    expect: [['external-lawyer-advice', 'block', 'procedural.lawyerAdvice.summary']],
  },
  {
    name: 'a recused lawyer does not count as assigned',
    rule: 'external-lawyer-advice',
    caseFile: (c) => void (c.participants[AT.lawyer]!.declaration = { conflict: true, details: 'Acted for the complainant.', recused: true }),
    expect: [['external-lawyer-advice', 'block', 'lawyer-assigned']],
  },
  // training-before-involvement
  {
    name: 'a panellist trained after their first involvement',
    rule: 'training-before-involvement',
    caseFile: (c) => void (c.participants[AT.panellistA]!.trainingCompleted = '2026-04-02'),
    expect: [['training-before-involvement', 'block', `training#${IDS.panellistA}`]],
  },
  {
    name: 'training on the day of first involvement, when the criteria say that is too late',
    rule: 'training-before-involvement',
    criteria: (k) => void (ruleOf(k, 'training-before-involvement').sameDayCounts = false),
    expect: [['training-before-involvement', 'block', `training#${IDS.panellistB}`]],
  },
  {
    name: 'a training date confirmed at the hearing takes precedence over the case file',
    rule: 'training-before-involvement',
    draft: (d) => void d.procedural.training.push({ participantId: IDS.chair, completedOn: '2026-04-10' }),
    expect: [['training-before-involvement', 'block', `training#${IDS.chair}`]],
  },
  {
    name: 'the lawyer has no training date',
    rule: 'training-before-involvement',
    caseFile: (c) => void delete c.participants[AT.lawyer]!.trainingCompleted,
    expect: [['training-before-involvement', 'block', `training#${IDS.lawyer}`]],
  },
  {
    name: 'the clerk trained after preparing the case',
    rule: 'training-before-involvement',
    caseFile: (c) => void (c.participants[AT.clerk]!.trainingCompleted = '2026-03-01'),
    expect: [['training-before-involvement', 'block', `training#${IDS.clerk}`]],
  },
  // conflict-declarations
  {
    name: 'a panellist made no declaration',
    rule: 'conflict-declarations',
    draft: (d) => void d.procedural.declarations.splice(1, 1),
    expect: [['conflict-declarations', 'block', `declaration#${IDS.panellistA}`]],
  },
  {
    name: 'a conflicted panellist was not recused',
    rule: 'conflict-declarations',
    draft: (d) => Object.assign(d.procedural.declarations[1]!, { conflict: true, details: 'Same branch as the respondent.' }),
    expect: [['conflict-declarations', 'block', `declaration#${IDS.panellistA}`]],
  },
  {
    name: 'a conflicted panellist recused leaves the NCC panel short',
    rule: 'panel-composition',
    draft: (d) => Object.assign(d.procedural.declarations[1]!, { conflict: true, details: 'Same branch as the respondent.', recused: true }),
    expect: [['panel-composition', 'block', 'panel-size']],
  },
  // no-barred-office-involvement
  {
    name: 'a panellist works in the Leader’s office',
    rule: 'no-barred-office-involvement',
    caseFile: (c) => void (c.participants[AT.panellistB]!.office = 'leaders-office'),
    expect: [['no-barred-office-involvement', 'block', `office#${IDS.panellistB}`]],
  },
  {
    name: 'the clerk works in the Deputy Leader’s office',
    rule: 'no-barred-office-involvement',
    caseFile: (c) => void (c.participants[AT.clerk]!.office = 'deputy-leaders-office'),
    expect: [['no-barred-office-involvement', 'block', `office#${IDS.clerk}`]],
  },
  {
    name: 'an office the criteria do not bar is fine',
    rule: 'no-barred-office-involvement',
    caseFile: (c) => void (c.participants[AT.clerk]!.office = 'governance-and-legal-unit'),
    expect: [],
  },
  // panel-composition
  {
    name: 'two chairs sit',
    rule: 'panel-composition',
    caseFile: (c) => void (c.participants[AT.panellistB]!.role = 'chair'),
    expect: [['panel-composition', 'block', 'panel-chair']],
  },
  {
    name: 'an independent panel without a lawyer chair or an HR expert',
    rule: 'panel-composition',
    caseFile: (c) => void (c.decidingBody = 'independent-panel'),
    expect: [
      ['panel-composition', 'block', 'panel-chair-capacity'],
      ['panel-composition', 'block', 'panel-seat#lawyer'],
      ['panel-composition', 'block', 'panel-seat#hr-regulatory-expert'],
    ],
  },
  {
    name: 'a correctly composed independent panel',
    rule: 'panel-composition',
    caseFile: (c) => {
      c.decidingBody = 'independent-panel';
      c.participants[AT.chair]!.capacity = 'lawyer';
      c.participants[AT.panellistA]!.capacity = 'hr-regulatory-expert';
    },
    expect: [],
  },
  {
    name: 'a sitting member was absent from the hearing',
    rule: 'panel-composition',
    draft: (d) => void (d.procedural.attendance[2]!.present = false),
    expect: [['panel-composition', 'block', `attendance#${IDS.panellistB}`]],
  },
  {
    name: 'the chair’s attendance is not recorded',
    rule: 'panel-composition',
    draft: (d) => void d.procedural.attendance.shift(),
    expect: [['panel-composition', 'block', `attendance#${IDS.chair}`]],
  },
  {
    name: 'four members sit on an NCC panel of three',
    rule: 'panel-composition',
    caseFile: (c) =>
      void c.participants.push({
        id: 'panellist-quennell',
        name: 'Anselm Quennell',
        role: 'panellist',
        fingerprint: 'Q1R2-S3T4-V5W6-X7Y8-Z9A0',
        trainingCompleted: '2026-01-10',
        firstInvolvement: '2026-03-30',
        declaration: { conflict: false, recused: false },
      }),
    draft: (d) => void d.procedural.attendance.push({ participantId: 'panellist-quennell', present: true }),
    expect: [['panel-composition', 'block', 'panel-size']],
  },
  // timescales
  {
    name: 'the decision came 18 days after the hearing',
    rule: 'timescales',
    draft: (d) => void (d.decisionDate = '2026-05-08'),
    expect: [['timescales', 'block', 'timescale#hearing-to-decision']],
  },
  {
    name: 'a late decision with the delay explained',
    rule: 'timescales',
    draft: (d) => Object.assign(d, { decisionDate: '2026-05-08', delayExplanation: 'A panellist fell ill; the panel reconvened at the first date all could attend.' }),
    expect: [],
    info: [['timescales', 'info', 'timescale#hearing-to-decision'], CONSISTENT],
  },
  {
    name: '15 weeks from complaint to hearing',
    rule: 'timescales',
    caseFile: (c) => void (c.dates.complaintReceived = '2026-01-05'),
    expect: [['timescales', 'block', 'timescale#complaint-to-hearing']],
  },
  {
    name: 'the decision is dated before the hearing',
    rule: 'timescales',
    draft: (d) => {
      d.decisionDate = '2026-04-18';
      d.procedural.lawyerAdvice!.givenOn = '2026-04-18';
      d.orders.educationCourse = { dueDate: '2026-05-10' };
    },
    expect: [['timescales', 'block', 'decisionDate']],
  },
  {
    name: 'the limit comes from the criteria (21 days to decide)',
    rule: 'timescales',
    criteria: (k) => void (ruleOf(k, 'timescales').limits[1]!.maxDays = 21),
    draft: (d) => void (d.decisionDate = '2026-05-08'),
    expect: [],
  },
  // publication-fields
  {
    name: 'the complaint type is not recorded',
    rule: 'publication-fields',
    caseFile: (c) => void (c.complaintType = null),
    expect: [['publication-fields', 'block', 'case.complaintType']],
  },
  {
    name: 'the region is not recorded',
    rule: 'publication-fields',
    caseFile: (c) => void (c.region = null),
    expect: [['publication-fields', 'block', 'case.region']],
  },
  {
    name: 'the date the complaint was received is not recorded',
    rule: 'publication-fields',
    caseFile: (c) => void (c.dates.complaintReceived = null),
    expect: [['publication-fields', 'block', 'case.dates.complaintReceived']],
  },
  {
    name: 'the hearing date is not recorded',
    rule: 'publication-fields',
    caseFile: (c) => void (c.dates.hearing = null),
    expect: [['publication-fields', 'block', 'case.dates.hearing']],
  },
  {
    name: 'the decision date is not recorded',
    rule: 'publication-fields',
    draft: (d) => void (d.decisionDate = null),
    expect: [['publication-fields', 'block', 'decisionDate']],
  },
  {
    name: 'the publication summary is too short',
    rule: 'publication-fields',
    draft: (d) => void (d.publicationSummary = 'Suspended.'),
    expect: [['publication-fields', 'block', 'publicationSummary']],
  },
  // publication-anonymised, publication-name-parts
  {
    name: 'the summary names the chair',
    rule: 'publication-anonymised',
    draft: (d) => void (d.publicationSummary += ' Chaired by rosalind  ACHTERBERG.'),
    expect: [
      ['publication-anonymised', 'block', `name#${IDS.chair}`],
      ['publication-name-parts', 'warn', `name#${IDS.chair}`],
    ],
  },
  {
    name: 'the summary gives a panellist’s surname',
    rule: 'publication-name-parts',
    draft: (d) => void (d.publicationSummary += ' Ms Ossington dissented on the term.'),
    expect: [['publication-name-parts', 'warn', `name#${IDS.panellistB}`]],
  },
  {
    name: 'part of a hyphenated surname is caught',
    rule: 'publication-name-parts',
    draft: (d) => void (d.publicationSummary += ' Advice from Mr Hale was followed.'),
    expect: [['publication-name-parts', 'warn', `name#${IDS.lawyer}`]],
  },
  {
    name: 'a name part inside a longer word is not a name',
    rule: 'publication-name-parts',
    draft: (d) => void (d.publicationSummary += ' The posts circulated in Halesowen.'),
    expect: [],
  },
  // consistency-with-earlier-outcomes
  {
    name: 'the sanction is three rungs above the median of earlier outcomes',
    rule: 'consistency-with-earlier-outcomes',
    history: Array.from({ length: 5 }, () => ({ category: 'antisemitic-conduct', band: 'medium', sanctionRungId: 'reminder-of-values' })),
    expect: [['consistency-with-earlier-outcomes', 'warn', 'sanction.rungId']],
    info: [],
  },
  {
    name: 'an inconsistency acknowledged with a reason',
    rule: 'consistency-with-earlier-outcomes',
    history: Array.from({ length: 5 }, () => ({ category: 'antisemitic-conduct', band: 'medium', sanctionRungId: 'reminder-of-values' })),
    draft: (d) => void d.acknowledgements.push({ ruleId: 'consistency-with-earlier-outcomes', fieldKey: 'sanction.rungId', reason: 'Two separate posts; the earlier cases were single posts.' }),
    expect: [['consistency-with-earlier-outcomes', 'warn', 'sanction.rungId', 'acknowledged']],
    info: [],
  },
  {
    name: 'a median between two rungs, 1.5 rungs away',
    rule: 'consistency-with-earlier-outcomes',
    history: ['reminder-of-conduct', 'reminder-of-conduct', 'formal-warning', 'formal-warning'].map((sanctionRungId) => ({
      category: 'sharing-antisemitic-content',
      band: 'medium',
      sanctionRungId,
    })),
    expect: [['consistency-with-earlier-outcomes', 'warn', 'sanction.rungId']],
    info: [],
  },
  {
    name: 'earlier outcomes of another band are not compared',
    rule: 'consistency-with-earlier-outcomes',
    history: Array.from({ length: 5 }, () => ({ category: 'antisemitic-conduct', band: 'lower', sanctionRungId: 'reminder-of-values' })),
    expect: [],
  },
];

function build(scenario: Scenario) {
  const criteria = structuredClone(CRITERIA);
  scenario.criteria?.(criteria);
  const caseFile = baselineCase();
  scenario.caseFile?.(caseFile);
  const draft = baselineDraft();
  scenario.draft?.(draft);
  // Only inputs the schemas accept: the checker's contract.
  return {
    criteria: CriteriaDocument.parse(criteria),
    caseFile: CaseFile.parse(caseFile),
    draft: DecisionDraft.parse(draft),
    history: scenario.history ?? baselineHistory(),
  };
}

const summarise = (findings: ReturnType<typeof checkDecision>['findings']): Expected[] =>
  findings.map((f) => (f.acknowledged ? [f.ruleId, f.severity, f.fieldKey, 'acknowledged'] : [f.ruleId, f.severity, f.fieldKey]));

describe('the sanctions checker, golden scenarios', () => {
  it('has at least 40 scenarios, with unique names, covering every rule of the sample criteria', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
    const ruleIds = CRITERIA.rules.map((rule) => rule.id);
    for (const scenario of SCENARIOS) expect(ruleIds).toContain(scenario.rule);
    expect(new Set(SCENARIOS.map((s) => s.rule))).toEqual(new Set(ruleIds));
  });

  it('the baseline decision has no block and no warning, and may be finalised', () => {
    const result = checkDecision(CRITERIA, baselineCase(), baselineDraft(), { history: baselineHistory() });
    expect(summarise(result.findings)).toEqual([CONSISTENT]);
    expect(canFinalise(result)).toBe(true);
    expect(result.findings[0]!.message).toContain('Compared with 5 earlier outcomes');
  });

  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
    const { criteria, caseFile, draft, history } = build(scenario);
    const result = checkDecision(criteria, caseFile, draft, { history });
    const summary = summarise(result.findings);
    expect(summary.filter(([, severity]) => severity !== 'info')).toEqual(scenario.expect);
    expect(summary.filter(([, severity]) => severity === 'info')).toEqual(scenario.info ?? [CONSISTENT]);
    // Every finding is well formed: a message, a field to focus, the citation of its rule.
    CheckResultSchema.parse(result);
    for (const finding of result.findings) {
      const rule = criteria.rules.find((candidate) => candidate.id === finding.ruleId)!;
      expect(finding.citation).toMatchObject({ sourceId: rule.citation.source, paragraph: rule.citation.paragraph });
      expect(finding.citation.sourceTitle).toBe(criteria.sources.find((source) => source.id === rule.citation.source)!.title);
      expect(finding.message.length).toBeGreaterThan(10);
      expect(finding.fields.length).toBeGreaterThan(0);
    }
    expect(canFinalise(result)).toBe(scenario.expect.every(([, severity, , ack]) => severity === 'warn' && ack === 'acknowledged'));
  });
});

describe('the check result', () => {
  it('names the criteria version it used and that they are a SAMPLE', () => {
    const result = checkDecision(CRITERIA, baselineCase(), baselineDraft());
    expect(result).toMatchObject({ criteriaId: 'sample-sanctions-criteria', criteriaVersion: CRITERIA.version, criteriaIsSample: true });
  });

  it('lists blocks, then warnings, then notes', () => {
    const draft = baselineDraft();
    delete draft.sanction!.nextRungReason;
    draft.publicationSummary = 'Too short.';
    const result = checkDecision(CRITERIA, baselineCase(), draft, { history: baselineHistory() });
    expect(result.findings.map((f) => f.severity)).toEqual(['block', 'warn', 'info']);
  });

  it('says how many earlier outcomes it compared, and when there were too few', () => {
    const history = baselineHistory().slice(0, 2);
    const few = checkDecision(CRITERIA, baselineCase(), baselineDraft(), { history });
    expect(few.findings[0]!.message).toMatch(/^Only 2 earlier outcomes .*\(at least 3 needed\)/);
    const far = checkDecision(CRITERIA, baselineCase(), baselineDraft(), {
      history: Array.from({ length: 7 }, () => ({ category: 'antisemitic-conduct', band: 'medium', sanctionRungId: 'no-further-action' })),
    });
    expect(far.findings[0]!.message).toContain('Compared with 7 earlier outcomes');
    expect(far.findings[0]!.message).toContain('4 rungs from "Suspension"');
  });

  it('does not change its inputs', () => {
    const caseFile = baselineCase();
    const draft = baselineDraft();
    draft.seriousness = null;
    const before = JSON.stringify([CRITERIA, caseFile, draft]);
    checkDecision(CRITERIA, caseFile, draft, { history: baselineHistory() });
    expect(JSON.stringify([CRITERIA, caseFile, draft])).toBe(before);
  });
});
