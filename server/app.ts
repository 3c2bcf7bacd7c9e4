import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { serveStatic } from '@hono/node-server/serve-static';
import { AppError, errorBody, statusOf } from './errors.ts';
import type { AppDeps, AppEnv } from './deps.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { overviewRoutes } from './routes/overview.routes.ts';
import { trendsRoutes } from './routes/trends.routes.ts';
import { reviewsRoutes } from './routes/reviews.routes.ts';
import { reviewMatrixRoutes } from './routes/review-matrix.routes.ts';
import { mentoringRoutes } from './routes/mentoring.routes.ts';
import { peopleRoutes } from './routes/people.routes.ts';
import { teamsRoutes } from './routes/teams.routes.ts';
import { reposRoutes } from './routes/repos.routes.ts';
import { settingsRoutes } from './routes/settings.routes.ts';
import { knowledgeRoutes } from './routes/knowledge.routes.ts';
import { codeownersRoutes } from './routes/codeowners.routes.ts';
import { formulasRoutes } from './routes/formulas.routes.ts';
import { briefRoutes } from './routes/brief.routes.ts';
import { digestRoutes } from './routes/digest.routes.ts';
import { useSecurity } from './middleware/security.ts';
import { schemaGuard } from './middleware/schema-guard.ts';
import { connectionsRoutes } from './routes/connections.routes.ts';
import { syncRoutes } from './routes/sync.routes.ts';
import { demoRoutes } from './routes/demo.routes.ts';
import { webhooksRoutes } from './routes/webhooks.routes.ts';

/** Composes the API sub-apps and the built dashboard into one Hono app. */
export function createApp(deps: AppDeps, options: { webRoot?: string } = {}) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  useSecurity(app); // headers, error shape, body limit, login and roles, CSRF: before any route
  app.use('*', schemaGuard()); // no write once a newer Guidepost migrated the database

  const api = new Hono<AppEnv>()
    .route('/health', healthRoutes())
    .route('/auth', authRoutes())
    .route('/overview', overviewRoutes())
    .route('/trends', trendsRoutes())
    .route('/reviews', reviewsRoutes())
    .route('/review-matrix', reviewMatrixRoutes())
    .route('/mentoring', mentoringRoutes())
    .route('/people', peopleRoutes())
    .route('/teams', teamsRoutes())
    .route('/repos', reposRoutes())
    .route('/settings', settingsRoutes())
    .route('/knowledge', knowledgeRoutes())
    .route('/knowledge', codeownersRoutes())
    .route('/formulas', formulasRoutes())
    .route('/brief', briefRoutes())
    .route('/digest', digestRoutes())
    .route('/connections', connectionsRoutes())
    .route('/sync', syncRoutes())
    .route('/demo', demoRoutes())
    .route('/webhooks', webhooksRoutes());
  app.route('/api', api);

  app.all('/api/*', (c) => c.json(errorBody('not_found', `No API route ${c.req.method} ${c.req.path}.`), 404));

  // The built dashboard sits in the package, wherever the command is run from.
  const webRoot = options.webRoot ?? relative(process.cwd(), fileURLToPath(new URL('../dist/web', import.meta.url)));
  if (existsSync(webRoot)) {
    app.use('/*', serveStatic({ root: webRoot }));
    // Client-side routes fall back to the dashboard shell.
    app.get('*', serveStatic({ root: webRoot, path: 'index.html' }));
  }

  app.notFound((c) => c.json(errorBody('not_found', `Nothing at ${c.req.path}.`), 404));
  app.onError((err, c) => {
    if (err instanceof AppError) return c.json(errorBody(err.code, err.message), statusOf(err.code));
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 413 ? 'payload_too_large' : status === 404 ? 'not_found' : 'bad_request';
      return c.json(errorBody(code, err.message || 'Bad request.'), status);
    }
    deps.logger.error({ err, path: c.req.path }, 'unhandled error');
    return c.json(errorBody('internal', 'Something went wrong on the server. The details are in the server log.'), 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
