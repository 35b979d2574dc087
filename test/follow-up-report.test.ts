import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { acceptanceForm, followUpStyle, reportForm } from '../fixtures/follow-up.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import { formatDate } from '../schemas/rules/format.ts';
import { assessReportUpdate, searchAttributes } from '../workflows/messages.ts';
import {
  approvedToTheEnd,
  decidedCase,
  mailIn,
  paidOnAcceptance,
  paidOnceInFull,
  potEntriesOf,
  saveRuns,
  until,
} from './support/follow-up-case.ts';
import { useTestStack } from './support/use-test-stack.ts';

/**
 * A report the caseworker finds wanting (SPEC §6 «Reporting and follow-up»), against real servers (Temporal, MinIO,
 * SMTP in this process) with the timers in seconds: the applicant is asked for more by letter with a new deadline, the
 * case waits for that deadline, the supplementary report comes by e-mail, is approved, and the case ends.
 */

const run = promisify(execFile);

const { stack, smtp } = useTestStack({ smtp: true, workers: { webhook: true } });

const dir = await mkdtemp(join(tmpdir(), 'follow-up-report-'));
after(() => rm(dir, { recursive: true, force: true }));

async function pdfText(name: string, pdf: Buffer): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, pdf);
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return stdout.replace(/\s+/g, ' ');
}

test('a report asked to be completed: a letter with the new deadline, the case waits for it, the supplement approved, the case ends', async () => {
  const amount = 260_000;
  const { caseId, live, facts } = await decidedCase(stack, 'rapport-mer', 311, amount, {
    reportDeadlineAfter: '10 minutes',
    appealPeriod: '20s',
  });

  // Accepted by e-mail, paid by two people and a payment run: the case waits for its report.
  await paidOnAcceptance(
    stack,
    caseId,
    live,
    `Aksept av tilskudd ${caseId}`,
    await renderFormPdf(acceptanceForm(facts, 'nb', followUpStyle('colon'))),
  );
  const due = await until(live, (s) => s.followUp?.phase === 'report-due', 'paid: the report is due');
  const firstDeadline = due.followUp!.reportDueAt!;

  // The report comes by e-mail, but it says too little about the goals: the caseworker asks for more.
  await mailIn(
    stack,
    caseId,
    'rapport',
    `Rapport ${caseId}`,
    await renderFormPdf(reportForm({ ...facts, amountSpent: 180_000 }, 'nb', followUpStyle('colon'))),
  );
  await until(live, (s) => s.followUp?.phase === 'report-received', 'the report is in the queue');
  const askedAt = Date.now();
  const asked = await live.executeUpdate(assessReportUpdate, {
    args: [{ actor: 'kari', outcome: 'ask-more', comment: 'Rapporten sier ikke hvor mange som fullførte kurset.' }],
  });
  const { followUp } = asked;
  assert.equal(followUp!.phase, 'report-due', 'the case waits for a report again');
  const newDeadline = followUp!.reportDueAt!;
  const deadlineDay = followUp!.reports[0]!.assessment!.deadline!;
  assert.notEqual(newDeadline, firstDeadline, 'a new deadline, not the first one');
  const waitsFor = Date.parse(newDeadline) - askedAt;
  assert.ok(
    waitsFor > 9 * 60_000 && waitsFor <= 10 * 60_000 + 5_000,
    `the new deadline is the given duration after the caseworker asked: ${newDeadline}`,
  );
  assert.equal(followUp!.timers['report-deadline'], newDeadline, 'the case’s timer runs to the new deadline');
  assert.equal(followUp!.timers['report-reminder-after'], undefined, 'no reminder before the new deadline has passed');
  assert.equal(deadlineDay, newDeadline.slice(0, 10));

  // Temporal shows what the case waits for; the case's timeline says so to the caseworker.
  const { typedSearchAttributes } = await live.describe();
  assert.equal(typedSearchAttributes.get(searchAttributes.phase), 'report-due');
  assert.equal(typedSearchAttributes.get(searchAttributes.reportDeadline)?.toISOString(), newDeadline);
  assert.ok(
    followUp!.events.some(
      (e) =>
        e.actor === 'kari' &&
        e.text.includes(`bedt om mer innen ${formatDate(deadlineDay)}`) &&
        e.text.includes('hvor mange som fullførte'),
    ),
    'the timeline names the new deadline and why',
  );

  // The applicant has the letter by e-mail, with the new deadline and what is missing.
  const letter = asked.letters.find((l) => l.letter.name === 'rapport-mangler-1');
  assert.equal(letter?.delivery?.via, 'smtp');
  const mail = smtp.received.find((m) => m.mail.subject === `Vi trenger mer i rapporten – ${caseId}`);
  assert.ok(mail, `the applicant got the letter; subjects: ${smtp.received.map((m) => m.mail.subject).join(' | ')}`);
  assert.ok(mail.to.includes('post@vinje.example') || mail.to.some((to) => to.endsWith('@vinje.example')));
  const [attachment] = mail.mail.attachments;
  assert.equal(attachment?.contentType, 'application/pdf');
  const text = await pdfText('rapport-mangler.pdf', attachment!.content);
  assert.match(text, /Rapporten er mangelfull/);
  assert.ok(text.includes(formatDate(deadlineDay)), `the letter gives the new deadline ${formatDate(deadlineDay)}`);
  assert.ok(text.includes('hvor mange som fullførte kurset'), 'the letter says what is missing');

  // The supplementary report comes by e-mail before the new deadline; the caseworker approves it and the case closes.
  await mailIn(
    stack,
    caseId,
    'rapport-utfyllende',
    `Utfyllende rapport ${caseId}`,
    await renderFormPdf(
      reportForm(
        { ...facts, amountSpent: 180_000, goalsReached: ['Tolv av fjorten assistentar har fullført kurset.'] },
        'nb',
        followUpStyle('table'),
      ),
    ),
  );
  const second = await until(
    live,
    (s) => s.followUp?.phase === 'report-received' && s.followUp.reports.length === 2,
    'the supplementary report is in the queue',
  );
  assert.equal(second.followUp!.reports[1]!.reading.amountSpent, 180_000);
  assert.deepEqual(second.followUp!.timers['report-deadline'], undefined, 'the deadline is met');
  // The case closes, and ends once its appeal period is over.
  const { final, journal } = await approvedToTheEnd(stack, caseId, live, 'Rapporten er nå fullstendig.');
  assert.deepEqual(
    final.followUp!.reports.map((r) => r.assessment?.outcome),
    ['ask-more', 'approve'],
  );

  // The journal has every document in and every letter out, in order.
  assert.deepEqual(
    journal.map((e) => [e.number, e.direction, e.kind, e.title.split(' – ')[0]]),
    [
      [1, 'inn', 'application', 'Søknad'],
      [2, 'ut', 'letter', 'Vedtak'],
      [3, 'inn', 'acceptance', 'Aksept av tilskudd'],
      [4, 'inn', 'report', 'Rapport'],
      [5, 'ut', 'letter', 'Rapport: behov for mer informasjon'],
      [6, 'inn', 'report', 'Rapport'],
    ],
  );

  // Asking for more moves no money: the grant was paid once, in full.
  const entries = await potEntriesOf(stack, caseId);
  assert.deepEqual(
    entries.map((e) => [e.kind, e.amount]),
    paidOnceInFull(amount),
  );
  await saveRuns(stack, 'follow-up-report-ask-more', caseId);
});
