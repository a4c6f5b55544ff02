import { useEffect } from 'react'
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from 'react-router'
import { PageError } from './components/route-error'
import type { Route } from './+types/root'
import { useNonce } from './lib/nonce'
import './app.css'

export const meta: Route.MetaFunction = () => [{ title: 'Reelpilot' }]

// The mark as an inline icon: no /favicon.ico request (and no 404 for it).
const icon = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 32"><rect x="1" y="1" width="22" height="30" rx="6" fill="#a78bfa"/><path d="M9.5 10.5v11l9-5.5z" fill="white"/></svg>',
)}`

export const links: Route.LinksFunction = () => [{ rel: 'icon', type: 'image/svg+xml', href: icon }]

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce()
  return (
    <html lang="en" className="bg-slate-950">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="dark" />
        <Meta />
        {/* An explicit empty nonce: stylesheets need none (style-src has no nonce), and the browser
            blanks nonce attributes, so the server and the hydrating client both render nonce="" (else
            React Router puts the request nonce on links on the server only: a hydration mismatch). */}
        <Links nonce="" />
      </head>
      <body className="min-h-screen bg-slate-950 text-slate-100 antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  // Marks the document once React has hydrated it, so browser tests know scripts are live.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true'
  }, [])
  return <Outlet />
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <PageError error={error} />
}
