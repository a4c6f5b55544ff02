/** The header of every signed-in page: the product, its main sections, who is signed in, sign-out. */
import { Form, Link, NavLink, useLocation } from 'react-router'
import { buttonClass, Logo } from './ui'

const navClass = ({ isActive }: { isActive: boolean }) =>
  `rounded-lg px-3 py-1.5 text-sm font-medium transition ${isActive ? 'bg-slate-800 text-white' : 'text-slate-400 hover:bg-slate-800/60 hover:text-white'}`

export function AppHeader({ email, name }: { email: string; name: string | null }) {
  // Projects are reached from the dashboard, so it stays the current section on their pages.
  const inProject = useLocation().pathname.startsWith('/projects/')
  return (
    <header className="sticky top-0 z-20 border-b border-slate-800/80 bg-slate-950/80 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-6 px-4 sm:px-6">
        <Link to="/dashboard" aria-label="Reelpilot dashboard">
          <Logo />
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1">
          <NavLink to="/dashboard" className={({ isActive }) => navClass({ isActive: isActive || inProject })}>
            Dashboard
          </NavLink>
          <NavLink to="/settings" className={navClass}>
            Settings
          </NavLink>
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <span className="hidden text-right text-sm leading-tight sm:block">
            {name && <span className="block text-slate-200">{name}</span>}
            <span data-testid="signed-in-email" className="block text-xs text-slate-400">
              {email}
            </span>
          </span>
          <Form method="post" action="/sign-out">
            <button type="submit" className={`${buttonClass('secondary', 'sm')} whitespace-nowrap`}>
              Sign out
            </button>
          </Form>
        </div>
      </div>
    </header>
  )
}
