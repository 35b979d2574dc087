/**
 * The layer rules of README's layout, checked by `npm test` (`npm run lint:layers`): the domain and the readers stay
 * free of servers, workflows stay deterministic, and the web app talks to cases only through the client and storage.
 */
const servers = '^node_modules/(@temporalio/|minio/|fastify/|@fastify/|nodemailer/)|^(node:)?(http|https|net)$';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'schemas/ is the domain: no Temporal, MinIO, HTTP server or mail, and nothing from the outer layers.',
      severity: 'error',
      from: { path: '^schemas/' },
      to: {
        pathNot: '^schemas/',
        dependencyTypesNot: ['type-only'],
        path: `${servers}|^(activities|workflows|worker|web|client|storage|cli|stack|config|letters|extraction)/`,
      },
    },
    {
      name: 'extraction-talks-to-no-server',
      comment: 'extraction/ reads documents: no Temporal, MinIO or HTTP server.',
      severity: 'error',
      from: { path: '^extraction/' },
      to: { path: `${servers}|^(activities|workflows|worker|web|client|storage|cli|stack)/` },
    },
    {
      name: 'workflows-are-deterministic',
      comment: 'workflows/ import only @temporalio/workflow and /common, the domain, each other, and activity types.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        dependencyTypesNot: ['type-only'],
        pathNot: '^(workflows|schemas)/|^node_modules/@temporalio/(workflow|common)/',
      },
    },
    {
      name: 'web-never-runs-activities-or-the-worker',
      comment: 'The web app reaches cases through client/ and storage/, never through activities or the worker.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(activities|worker|workflows/(?!messages))' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^data/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
