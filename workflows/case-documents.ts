import type { CaseDocument } from '../schemas/case-record.ts';
import { sameContent, type ObjectRef } from '../schemas/document.ts';

export interface Delivered {
  object: ObjectRef;
  role: Extract<CaseDocument['role'], 'appendix' | 'supplement'>;
}

/**
 * The documents delivered to a case, in order, each taken in once. Intake delivers every document with
 * signal-with-start, and may deliver one twice (the webhook and the sweep); a second upload of the same content under
 * the same name is a copy, only to be taken out of the inbox.
 */
export class DeliveredDocuments {
  private readonly seen: ObjectRef[] = [];
  private readonly waiting: Delivered[] = [];
  private readonly copies: ObjectRef[] = [];

  constructor(first: ObjectRef) {
    this.seen.push(first);
  }

  deliver(object: ObjectRef, role: Delivered['role']): void {
    const known = this.seen.filter((s) => sameContent(s, object));
    if (!known.length) {
      this.seen.push(object);
      this.waiting.push({ object, role });
    } else if (!known.some((s) => s.versionId === object.versionId)) {
      this.seen.push(object);
      this.copies.push(object);
    }
  }

  /** The next document to take in. */
  next(): Delivered | undefined {
    return this.waiting.shift();
  }

  /** The next copy to take out of the inbox. */
  nextCopy(): ObjectRef | undefined {
    return this.copies.shift();
  }

  get pending(): boolean {
    return this.waiting.length > 0 || this.copies.length > 0;
  }
}
