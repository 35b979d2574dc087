import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from './user-error.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * This checkout's build id when `TEMPORAL_WORKER_BUILD_ID` is not given: the package version and the git commit
 * (`0.1.0-83f9f56c0d1e`), `-dirty` when tracked files differ from the commit. A build id must name one workflow code:
 * a pinned workflow replays on any worker of its version, so two builds under one id could disagree about its history.
 * Image builds without `.git` pass the id in `TEMPORAL_WORKER_BUILD_ID`.
 */
export function defaultBuildId(): string {
  const { version } = JSON.parse(readFileSync(`${projectRoot}/package.json`, 'utf8')) as { version: string };
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  let commit: string;
  let dirty: boolean;
  try {
    commit = git('rev-parse', '--short=12', 'HEAD');
    dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  } catch {
    throw new UserError(
      'configuration error: TEMPORAL_DEPLOYMENT_NAME is set, but this is no git checkout to take a build id from: set TEMPORAL_WORKER_BUILD_ID',
    );
  }
  return `${version}-${commit}${dirty ? '-dirty' : ''}`;
}
