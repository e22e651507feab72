import type { RuleCheck, RuleOf } from '../domain/criteria';
import type { PreparedCheck } from './prepare';
import type { Severity } from './result';

export interface FindingInput {
  message: string;
  /** The field to fix first comes first. */
  fields: string[];
  /** Defaults to the first field; give one when a field can carry several findings of the rule. */
  fieldKey?: string;
  /** Defaults to the rule's severity; "info" marks a note rather than a violation. */
  severity?: Severity;
}

export type Emit = (finding: FindingInput) => void;

/** How one kind of rule is applied. Implementations read only their rule's data and the prepared input. */
export type RuleImplementation<C extends RuleCheck> = (rule: RuleOf<C>, input: PreparedCheck, emit: Emit) => void;

export type RuleImplementations = { [C in RuleCheck]: RuleImplementation<C> };
