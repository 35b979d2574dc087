import type { Client } from '@temporalio/client';
import type { Client as MinioClient } from 'minio';
import { loadSchemes } from '../config/schemes.ts';
import type { LlmReader } from '../extraction/llm-reader.ts';
import type { ApplicationReading } from '../extraction/read-application.ts';
import { readDocument } from '../extraction/read-document.ts';
import type { Application, ProvenanceMap } from '../schemas/application.ts';
import { ExtractedTextSchema } from '../schemas/document.ts';
import type { Finding } from '../schemas/finding.ts';
import { routeApplication, type Route } from '../schemas/route.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { potFor, validateApplication } from '../schemas/validate.ts';
import type { DecisionTerms, Pot } from '../schemas/assessment.ts';
import { potForCategory } from '../schemas/ledger.ts';
import { writtenStandardOf, type WrittenStandard } from '../schemas/written-standard.ts';
import { otherCasesOf } from '../client/cases.ts';
import { readJson } from '../storage/objects.ts';
import { heartbeating } from './heartbeat.ts';

export interface ReadingDeps {
  minio: MinioClient;
  /** Finds other cases of the same applicant (the possible-duplicate warning). */
  client: Client;
  recordsBucket: string;
  llm: LlmReader;
  /** The scheme definitions; loaded from `schemas/schemes/` when not given. */
  schemes?: Scheme[];
}

export interface CheckInput {
  application: Application;
  provenance: ProvenanceMap;
  /** When the e-mail was received (or the upload time), ISO 8601. */
  receivedAt: string;
  /** The case's own workflow, left out of the search for duplicates. */
  workflowId: string;
}

export interface Check {
  findings: Finding[];
  route: Route;
  /**
   * What the assessment needs of the scheme: the pot a grant draws on (with its ledger's id), the service time, and
   * the catalogue a decision is checked against. Absent without a scheme.
   */
  terms?: { pot: Pot; serviceDays: number; decisions?: DecisionTerms };
}

export function createReadingActivities({ minio, client, recordsBucket, llm, schemes: given }: ReadingDeps) {
  let schemes: Promise<Scheme[]> | undefined = given && Promise.resolve(given);
  const allSchemes = () => (schemes ??= loadSchemes());
  return {
    /** The application in the stored text: the form reader, and the language model for what it could not read. */
    async readFields({ textKey }: { textKey: string }): Promise<ApplicationReading & { standard: WrittenStandard }> {
      return heartbeating(async () => {
        const text = ExtractedTextSchema.parse(await readJson(minio, recordsBucket, textKey));
        const reading = await readDocument(text, await allSchemes(), llm);
        // The applicant's written standard, for the letters (the form reader reads both alike and keeps no trace).
        return { ...reading, standard: writtenStandardOf(text.pages.map((page) => page.text).join('\n')) };
      });
    },

    /**
     * The scheme's rules (SPEC §4) and the route they give. Rules run here, not in the workflow: history keeps their
     * result, so a changed rule applies to new cases without breaking the replay of running ones.
     */
    async checkApplication({ application, provenance, receivedAt, workflowId }: CheckInput): Promise<Check> {
      const scheme = (await allSchemes()).find((candidate) => candidate.id === application.schemeId);
      const duplicates = await otherCasesOf(client, application, workflowId);
      const findings = validateApplication(application, { scheme, receivedAt, provenance, duplicates });
      const route = routeApplication(application, scheme, findings);
      if (!scheme) return { findings, route };
      const category = application.project?.category;
      const potId = potForCategory(scheme, category)?.id;
      const { reasons, conditions } = scheme.decisions;
      return {
        findings,
        route,
        terms: {
          pot: { ...potFor(scheme, category), ...(potId && { id: potId }) },
          serviceDays: scheme.serviceDays,
          decisions: { schemeId: scheme.id, name: scheme.name, decisions: { reasons, conditions } },
        },
      };
    },
  };
}
