// GraphQL sources for commits. A commit links only to its author, so repositories and pull
// requests can both import it.
import { actor } from './graphql-actors.ts';
import { webUrl, type Src } from './graphql-shared.ts';
import { shaOf, type SimState } from './state.ts';

export function commitNode(s: SimState, repo: string, commitId: string): Src {
  const c = s.index.commits.get(repo)?.get(commitId);
  const oid = shaOf(s, repo, commitId);
  const org = s.index.org.org.login;
  const who = { name: c?.authorName ?? null, email: c?.authorEmail ?? null, date: c?.date ?? null, user: () => actorAsUser(s, c?.authorLogin ?? null) };
  return {
    __typename: 'Commit',
    id: Buffer.from(`Commit:${repo}:${oid}`).toString('base64'),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    message: c?.message ?? '',
    messageHeadline: (c?.message ?? '').split('\n')[0],
    committedDate: c?.date ?? null,
    authoredDate: c?.date ?? null,
    get url() {
      return webUrl(s, org, repo, 'commit', oid);
    },
    author: who,
    committer: who,
    changedFilesIfAvailable: c?.changes.length ?? null,
    additions: c?.changes.reduce((n, ch) => n + ch.additions, 0) ?? 0,
    deletions: c?.changes.reduce((n, ch) => n + ch.deletions, 0) ?? 0,
  };
}

function actorAsUser(s: SimState, login: string | null): Src | null {
  const a = actor(s, login);
  return a && a.__typename === 'User' ? a : null;
}
