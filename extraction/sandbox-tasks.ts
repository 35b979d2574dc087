import { readEmail } from './parsers/email.ts';
import { readPdfText } from './parsers/pdf.ts';
import { readDoc, readDocx } from './parsers/word.ts';

/**
 * The parsers that run in the sandbox: everything that interprets a document's bytes in JavaScript. The main thread
 * imports only their types, so a document that exhausts a parser's memory or time takes down a sandbox, not the worker.
 */
export const sandboxTasks = { pdf: readPdfText, docx: readDocx, doc: readDoc, email: readEmail };
export type SandboxTasks = typeof sandboxTasks;
export type SandboxTask = keyof SandboxTasks;
