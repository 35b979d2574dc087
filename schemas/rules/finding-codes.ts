import type { FieldPath } from '../application.ts';
import type { Finding } from '../finding.ts';

export type Severity = Finding['severity'];

/** What the review app and the docs show for one finding code. */
export interface FindingCodeInfo {
  severity: Severity;
  /** The field every finding of this code concerns; absent when it varies (the missing field) or there is none. */
  field?: FieldPath;
  /** A short Bokmål name for the code, for legends and filters. */
  label: string;
}

/**
 * A catalogue of finding codes, and the one way to make a finding of them: the severity (and the usual field)
 * come from the catalogue, so a code cannot be raised with two severities.
 */
export function findingCatalogue<Code extends string>(codes: Record<Code, FindingCodeInfo>) {
  function finding(code: Code, message: string, field: FieldPath | undefined = codes[code].field): Finding {
    return { code, severity: codes[code].severity, ...(field && { field }), message };
  }
  return { codes, finding };
}
