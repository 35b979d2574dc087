import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { fillForm } from '../../fixtures/forms.ts';
import { draftApplication } from '../../fixtures/ground-truth.ts';
import { writeLetter, type ProseDocument } from '../../fixtures/letters.ts';
import { Random } from '../../fixtures/random.ts';
import { renderDocx, renderTextDocx } from '../../fixtures/render-docx.ts';
import { renderFormPdf } from '../../fixtures/render-pdf.ts';
import type { Application } from '../../schemas/application.ts';
import type { Scheme } from '../../schemas/scheme.ts';

/** A filled application form rendered as Word or PDF, with what it says (the ground truth, SPEC §3 normal forms). */
export interface WrittenForm {
  path: string;
  bytes: Buffer;
  truth: Application;
}

/** Writes generated form number `index` of `seed` (deterministic: the same arguments give the same form). */
export async function writeForm(
  path: string,
  format: 'docx' | 'pdf',
  schemes: Scheme[],
  seed: number,
  index: number,
): Promise<WrittenForm> {
  const random = Random.for(seed, index);
  const draft = draftApplication(random, random.pick(schemes));
  const form = fillForm(draft, random);
  const bytes = format === 'docx' ? await renderDocx(form) : await renderFormPdf(form);
  await writeFile(path, bytes);
  return { path, bytes, truth: draft.truth };
}

/** Writes a letter instead of a form (no labels, no table), as Word, with what it says. */
export async function writeLetterDocx(
  path: string,
  scheme: Scheme,
  seed: number,
): Promise<ProseDocument & { path: string }> {
  const letter = writeLetter(draftApplication(Random.for(seed, 0), scheme));
  await writeFile(path, await renderTextDocx(letter.paragraphs));
  return { ...letter, path };
}

const bin = fileURLToPath(new URL('../../bin/grant-intake.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `grant-intake <args>` as a child process, the way a developer does. Asynchronous, so a fake server in the test
 * process can answer it. The environment is the test's without any OPENAI_* variable (so no real model is asked)
 * plus `env`; the working directory is `cwd` (a temp folder, so no developer's .env is read). A command that has not
 * exited after `timeoutMs` is stopped and the run fails with what it printed so far.
 */
export function runCli(
  args: string[],
  { cwd, env = {}, timeoutMs = 60_000 }: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CliRun> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OPENAI_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `grant-intake ${args.join(' ')} did not exit within ${timeoutMs / 1000} s\n` +
            `stdout (${Buffer.concat(stdout).length} bytes): ${Buffer.concat(stdout).toString('utf8').slice(0, 300)}\n` +
            `stderr: ${Buffer.concat(stderr).toString('utf8').slice(-2000)}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}
