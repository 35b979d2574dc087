/** Activities that do nothing, with the application's activity names; results as small as the real ones' are. */
export const noopActivities = {
  async describeDocument(_caseId: string) {
    return { receivedAt: '2017-04-10T07:12:00.000Z' };
  },
  async readText(caseId: string) {
    return { textKey: `cases/${caseId}/text.json` };
  },
  async readFields(_textKey: string) {
    return { application: {} };
  },
  async checkApplication(_read: unknown) {
    return { stage: 'ready-for-assessment' as const, queue: 'triage' };
  },
  async storeCase(caseId: string) {
    return `cases/${caseId}/record.json`;
  },
  async moveOutOfInbox(_caseId: string) {},
};
