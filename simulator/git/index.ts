// The simulated GitHub's git side: build repositories from the model, extend them, serve them.
export { appendCommits, buildRepos, type ShaMaps } from './repos.build.ts';
export { serveGit, type ServeGitOptions } from './http-backend.serve.ts';
