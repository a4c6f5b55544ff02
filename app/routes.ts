import { type RouteConfig, index, layout, route } from '@react-router/dev/routes'

export default [
  index('routes/home.tsx'),
  route('sign-in', 'routes/sign-in.tsx'),
  route('sign-out', 'routes/sign-out.tsx'),
  route('preview', 'routes/preview.tsx'),
  // Signed-in pages: the layout's loader sends anyone without a session to /sign-in.
  layout('routes/app-layout.tsx', [
    route('dashboard', 'routes/dashboard.tsx'),
    route('settings', 'routes/settings.tsx'),
    route('projects/:id', 'routes/project.tsx', [
      index('routes/project.overview.tsx'),
      route('connections', 'routes/project.connections.tsx'),
      route('library', 'routes/project.library.tsx'),
      // A resource route: a clip's transcript for the library's captions-from-speech panel (#15).
      route('library/transcript', 'routes/project.library.transcript.ts'),
      route('autopilot', 'routes/project.autopilot.tsx'),
      // A resource route: the slots of the unsaved autopilot form (the page's live preview).
      route('autopilot/slots', 'routes/project.autopilot.slots.ts'),
      route('content', 'routes/project.content.tsx'),
      route('analytics', 'routes/project.analytics.tsx'),
      route('assistant', 'routes/project.assistant.tsx'),
      route('inbox', 'routes/project.inbox.tsx'),
    ]),
  ]),
] satisfies RouteConfig
