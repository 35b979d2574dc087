import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { readJson } from '../storage/objects.ts';
import type { CaseState } from '../schemas/assessment.ts';
import { CaseRecordSchema, type CaseRecord } from '../schemas/case-record.ts';
import { caseStateQuery, hasLeftIntake, searchAttributes } from '../workflows/messages.ts';
import { makePdf } from './support/documents.ts';
import { dropIntoIntake } from './support/stack.ts';
import { useTestStack } from './support/use-test-stack.ts';

/**
 * Hostile names and metadata through the whole pipeline (the files themselves are in test/hostile-input.test.ts):
 * each ends as a case with a finding, or in quarantine with its reason, or is refused by the store before it is
 * anything; and the worker goes on.
 */
const { stack } = useTestStack({ workers: { webhook: true } });

const drop = (key: string, bytes: Buffer, metadata: Record<string, string> = {}) =>
  dropIntoIntake(stack, key, bytes, metadata);

/** The case once it has left intake: routed (its state) or ended (quarantined), with its record. */
async function handled(workflowId: string): Promise<{ status: string; record: CaseRecord; state?: CaseState }> {
  const handle = stack.env.client.workflow.getHandle(workflowId);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const description = await handle.describe().catch(() => undefined);
    const status = description?.typedSearchAttributes.get(searchAttributes.status);
    if (description && (description.status.name !== 'RUNNING' || hasLeftIntake(status))) {
      const state = description.status.name === 'RUNNING' ? await handle.query(caseStateQuery) : undefined;
      const result = state ?? (await handle.result());
      const record = CaseRecordSchema.parse(
        await readJson(stack.minio, stack.config.buckets.records, result.recordKey),
      );
      return { status: String(status), record, ...(state && { state }) };
    }
    if (Date.now() > deadline) throw new Error(`${workflowId} not handled in time`);
    await sleep(200);
  }
}

const pdf = (text: string) => makePdf([text]);

test('keys that climb out of their folder are refused by the store before intake sees them', async () => {
  for (const key of [
    'inbox/../../etc/passwd.pdf',
    'inbox/a/../b.pdf',
    'inbox/./c.pdf',
    'inbox//d.pdf',
    `inbox/${'x'.repeat(300)}.pdf`,
  ]) {
    await assert.rejects(() => drop(key, Buffer.from('%PDF-1.4')), /bad components|unsupported characters/, key);
  }
});

test('odd names and metadata: each document becomes a case, its text kept as text', async (t) => {
  const cases: [string, string, Record<string, string>, (outcome: Awaited<ReturnType<typeof handled>>) => void][] = [
    [
      'percent-encoded climbing',
      'inbox/..%2F..%2Fevil.pdf',
      {},
      ({ record }) => {
        assert.equal(record.documents?.[0]?.fileName, '..%2F..%2Fevil.pdf');
        assert.equal(record.movedTo, 'processed/..%2F..%2Fevil.pdf', 'the literal name, still under processed/');
      },
    ],
    [
      'a newline in the name',
      'inbox/søknad\n[ERROR] forged log line.pdf',
      {},
      ({ record }) => {
        assert.equal(record.documents?.[0]?.fileName, 'søknad\n[ERROR] forged log line.pdf');
      },
    ],
    [
      'a right-to-left override in the name',
      'inbox/søknad\u202Efdp.exe',
      {},
      ({ record }) => {
        assert.equal(record.documents?.[0]?.fileName, 'søknad\u202Efdp.exe');
      },
    ],
    [
      'the longest name the store allows',
      `inbox/${'æ'.repeat(123)}.pdf`,
      {},
      ({ record }) => {
        const kept = record.documents![0]!.original.key;
        assert.ok(
          new TextEncoder().encode(kept.slice(kept.lastIndexOf('/') + 1)).length <= 255,
          'the kept name fits a key segment',
        );
        assert.ok(kept.endsWith('.pdf'), 'and keeps its extension');
      },
    ],
    [
      'a received-at that is not a time',
      'inbox/ikke-tid.pdf',
      { 'received-at': 'yesterday at noon' },
      ({ record }) => {
        assert.equal(record.document!.submission.receivedAtSource, 'upload-time', 'the upload time stands for it');
      },
    ],
    [
      'a subject with an encoded newline and markup',
      'inbox/emne.pdf',
      {
        subject: `=?UTF-8?B?${Buffer.from('Søknad\r\nBcc: alle@example.org <script>alert(1)</script>').toString('base64')}?=`,
      },
      ({ record }) => {
        assert.equal(
          record.document!.submission.subject,
          'Søknad Bcc: alle@example.org <script>alert(1)</script>',
          'one line, kept as text',
        );
      },
    ],
    [
      'a message-id of 2 000 characters',
      'inbox/lang-id.pdf',
      { 'message-id': `<${'a'.repeat(2000)}@x>` },
      ({ record }) => {
        assert.match(record.caseId, /^SAK-[0-9A-Z]{8}$/, 'the reference stays short');
      },
    ],
    [
      'a sender with markup',
      'inbox/avsender.pdf',
      { sender: '"<img src=x onerror=alert(1)>" <a@b.no>' },
      ({ record }) => {
        assert.equal(record.document!.submission.sender, '"<img src=x onerror=alert(1)>" <a@b.no>');
      },
    ],
  ];
  for (const [what, key, metadata, check] of cases) {
    await t.test(what, async () => {
      const dropped = await drop(key, await pdf(`Dokument: ${what}`), metadata);
      const outcome = await handled(dropped.workflowId);
      assert.equal(outcome.status, 'triage', 'read, and routed for a person to sort');
      check(outcome);
    });
  }
});

test('an empty object and a text file renamed to .pdf end in quarantine with their reasons; a folder marker is no document', async () => {
  const empty = await drop('inbox/tom.pdf', Buffer.alloc(0));
  const emptyCase = await handled(empty.workflowId);
  assert.equal(emptyCase.status, 'quarantined');
  assert.equal(emptyCase.record.movedTo, 'quarantine/tom.pdf');
  assert.equal(emptyCase.record.findings[0]?.code, 'unreadable');

  const text = await drop('inbox/notat.pdf', Buffer.from('Dette er bare tekst, ikke en PDF.\n'));
  const textCase = await handled(text.workflowId);
  assert.equal(textCase.status, 'quarantined');
  assert.match(textCase.record.findings[0]!.message, /\S/);

  const marker = await drop('inbox/mappe/', Buffer.alloc(0));
  await sleep(1500);
  await assert.rejects(() => stack.env.client.workflow.getHandle(marker.workflowId).describe(), /not found/i);
});

test('the worker goes on: after all of the above a form is read and routed as usual', async () => {
  const dropped = await drop(
    'inbox/etterpå.pdf',
    await makePdf([
      'Søknadsskjema – Tilskudd til helhetlige tilbud til pårørende 2017',
      'Søker (kommune): Lier kommune',
    ]),
  );
  const outcome = await handled(dropped.workflowId);
  assert.equal(outcome.state?.application.schemeId, 'parorende-2017');
  assert.equal(outcome.state?.route.queue, 'helsedir-parorende');
});
