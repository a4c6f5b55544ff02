/** `/api/docs`: Swagger UI over `/api/openapi.json`, its assets served by the app itself (no CDN). */
import { Hono } from 'hono'
import type { AppEnv } from '../env'

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Reelpilot API</title>
  <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/vendor/swagger-ui/docs-init.js"></script>
</body>
</html>`

export const docsApi = new Hono<AppEnv>().get('/docs', (c) => c.html(PAGE))
