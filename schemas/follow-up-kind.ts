import {
  followUpPhrases,
  followUpScoreNeeded,
  followUpTitleMaxWords,
  followUpWeights,
  type FollowUpPhrase,
} from './follow-up-phrases.ts';

/**
 * What a document sent to a decided case is, by its content (SPEC §6): an acceptance of the grant, a report on its
 * use, an appeal against the decision, or else a plain supplement. The phrases are data (`follow-up-phrases.ts`);
 * the answer names the phrases it rests on and where they stand, for the caseworker to check.
 */
export type FollowUpKind = 'acceptance' | 'report' | 'appeal';
export type IncomingKind = FollowUpKind | 'supplement';

export interface PhraseEvidence {
  kind: FollowUpKind;
  phrase: string;
  role: FollowUpPhrase['role'];
  page: number;
  /** 1-based line on its page. */
  line: number;
  /** The line as it stands in the document. */
  text: string;
}

export interface IncomingRecognition {
  kind: IncomingKind;
  /** The matches the kind rests on (for a supplement: none, or what fell short). */
  evidence: PhraseEvidence[];
  scores: Record<FollowUpKind, number>;
}

export interface PagedText {
  pages: ReadonlyArray<{ number: number; text: string }>;
}

/**
 * On a tie the graver kind wins: an appeal missed is a right lost (forvaltningsloven §29), an acceptance missed
 * holds up a payment, a report missed only waits.
 */
const precedence: readonly FollowUpKind[] = ['appeal', 'acceptance', 'report'];
/** Subject-line prefixes a title may stand after. */
const subjectPrefix =
  /^(?:emne|sak|vedr\.?|vedrørande|vedrørende|gjeld|gjelder|ang\.?|angåande|angående|re|sv|fw)\s*:\s*/iu;
/** Forms and letters say what they are in their first pages; an appendix of 40 pages adds nothing. */
const searchedLines = 400;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface CompiledPhrase extends FollowUpPhrase {
  kind: FollowUpKind;
  pattern: RegExp;
}

const compiled: CompiledPhrase[] = precedence.flatMap((kind) =>
  followUpPhrases[kind].map((phrase) => {
    const words = phrase.text.trim().split(/\s+/).map(escape).join('\\s+');
    const start = phrase.role === 'title' ? '^' : '(?<![\\p{L}\\d])';
    const end = phrase.role === 'title' ? '(?![\\p{L}\\d])' : '';
    return { ...phrase, kind, pattern: new RegExp(`${start}${words}${end}`, 'iu') };
  }),
);

/** Tells an acceptance, a report or an appeal from a plain supplement by the phrases its text holds. */
export function recogniseIncoming(text: PagedText): IncomingRecognition {
  const evidence: PhraseEvidence[] = [];
  const seen = new Set<string>();
  let lines = 0;
  for (const page of text.pages) {
    const pageLines = page.text.split(/\r?\n/);
    for (let i = 0; i < pageLines.length && lines < searchedLines; i++) {
      const raw = pageLines[i]!;
      const line = raw.replace(/\s+/g, ' ').trim();
      if (!line) continue;
      lines += 1;
      const asTitle = line.replace(subjectPrefix, '');
      const titleLike = asTitle.split(' ').length <= followUpTitleMaxWords;
      for (const phrase of compiled) {
        const key = `${phrase.kind}:${phrase.text.toLowerCase()}`;
        if (
          seen.has(key) ||
          (phrase.role === 'title' ? !titleLike || !phrase.pattern.test(asTitle) : !phrase.pattern.test(line))
        )
          continue;
        seen.add(key);
        evidence.push({
          kind: phrase.kind,
          phrase: phrase.text,
          role: phrase.role,
          page: page.number,
          line: i + 1,
          text: raw.trim(),
        });
      }
    }
  }
  const scores = { acceptance: 0, report: 0, appeal: 0 } satisfies Record<FollowUpKind, number>;
  for (const match of evidence) scores[match.kind] += followUpWeights[match.role];
  const best = precedence.reduce((winner, kind) => (scores[kind] > scores[winner] ? kind : winner));
  if (scores[best] < followUpScoreNeeded) return { kind: 'supplement', evidence, scores };
  return { kind: best, evidence: evidence.filter((match) => match.kind === best), scores };
}
