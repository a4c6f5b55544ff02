/**
 * The header of every signed-in page: the product, its main sections, who is signed in, sign-out.
 * On a phone the sections and sign-out fold into a menu, so nothing is cut off.
 */
import { useEffect, useRef } from 'react'
import { Form, Link, NavLink, useLocation } from 'react-router'
import { useEscape } from '../lib/use-escape'
import { buttonClass, Logo } from './ui'

const navClass = ({ isActive }: { isActive: boolean }) =>
  `rounded-lg px-3 py-1.5 text-sm font-medium transition ${isActive ? 'bg-slate-800 text-white' : 'text-slate-400 hover:bg-slate-800/60 hover:text-white'}`

function Sections({ inProject }: { inProject: boolean }) {
  return (
    <>
      <NavLink to="/dashboard" className={({ isActive }) => navClass({ isActive: isActive || inProject })}>
        Dashboard
      </NavLink>
      <NavLink to="/settings" className={navClass}>
        Settings
      </NavLink>
    </>
  )
}

function SignOut() {
  return (
    <Form method="post" action="/sign-out">
      <button type="submit" className={`${buttonClass('secondary', 'sm')} whitespace-nowrap`}>
        Sign out
      </button>
    </Form>
  )
}

export function AppHeader({ email, name }: { email: string; name: string | null }) {
  // Projects are reached from the dashboard, so it stays the current section on their pages.
  const location = useLocation()
  const inProject = location.pathname.startsWith('/projects/')
  const menu = useRef<HTMLDetailsElement>(null)
  // The phone menu closes when a page opens from it, and on Esc.
  useEffect(() => {
    menu.current?.removeAttribute('open')
  }, [location.pathname])
  useEscape(() => {
    if (!menu.current?.open) return false
    menu.current.removeAttribute('open')
    menu.current.querySelector('summary')?.focus()
    return true
  })
  return (
    <header className="sticky top-0 z-50 border-b border-slate-800/80 bg-slate-950/80 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-6 px-4 sm:px-6">
        <Link to="/dashboard" aria-label="Reelpilot dashboard">
          <Logo />
        </Link>
        <nav aria-label="Main" className="hidden items-center gap-1 sm:flex">
          <Sections inProject={inProject} />
        </nav>
        <div className="ml-auto hidden items-center gap-3 sm:flex">
          <span className="text-right text-sm leading-tight">
            {name && <span className="block text-slate-200">{name}</span>}
            <span data-testid="signed-in-email" className="block text-xs text-slate-400">
              {email}
            </span>
          </span>
          <SignOut />
        </div>
        <details ref={menu} className="relative ml-auto sm:hidden">
          <summary className={`${buttonClass('secondary', 'sm')} list-none [&::-webkit-details-marker]:hidden`} aria-label="Menu">
            Menu
          </summary>
          <div className="absolute right-0 top-full mt-2 w-64 max-w-[calc(100vw-2rem)] space-y-3 rounded-xl border border-slate-800 bg-slate-950 p-3 shadow-xl">
            <nav aria-label="Main (menu)" className="flex flex-col gap-1">
              <Sections inProject={inProject} />
            </nav>
            <p className="truncate border-t border-slate-800 pt-3 text-xs text-slate-400">
              Signed in as {name ? `${name} (${email})` : email}
            </p>
            <SignOut />
          </div>
        </details>
      </div>
    </header>
  )
}
