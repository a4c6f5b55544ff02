/** Small building blocks every screen uses: fields with their errors, buttons, cards, notices. */
import { useId, type ComponentProps, type ReactNode } from 'react'

function cx(...classes: (string | false | null | undefined)[]) {
  return classes.filter(Boolean).join(' ')
}

/** The look of every text input and select, for controls built outside TextField and SelectField. */
export const inputClass =
  'block w-full rounded-lg border bg-slate-900/80 px-3 py-2 text-sm text-slate-100 placeholder:text-slate-500 shadow-sm outline-none transition focus:border-violet-400 focus:ring-2 focus:ring-violet-400/30'

interface FieldProps {
  label: string
  name: string
  error?: string
  hint?: ReactNode
  className?: string
}

/** The attributes a field's control needs so its label, error and hint are tied to it. */
interface ControlProps {
  id: string
  name: string
  'aria-invalid'?: true
  'aria-describedby'?: string
  className: string
}

/** A label, a control and the control's error or hint: what every field shares. */
function Field({ label, name, error, hint, className, control }: FieldProps & { control: (props: ControlProps) => ReactNode }) {
  const id = useId()
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-200">
        {label}
      </label>
      {control({
        id,
        name,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
        className: cx(inputClass, error ? 'border-rose-500/80' : 'border-slate-700'),
      })}
      <FieldMessage id={id} error={error} hint={hint} />
    </div>
  )
}

/** A labelled text input; its error is shown under it and announced with the field. */
export function TextField({ label, name, error, hint, className, ...input }: FieldProps & Omit<ComponentProps<'input'>, 'name'>) {
  return <Field label={label} name={name} error={error} hint={hint} className={className} control={(props) => <input {...props} {...input} />} />
}

/** A labelled select with the same error handling as TextField. */
export function SelectField({ label, name, error, hint, className, children, ...select }: FieldProps & Omit<ComponentProps<'select'>, 'name'>) {
  return (
    <Field
      label={label}
      name={name}
      error={error}
      hint={hint}
      className={className}
      control={(props) => (
        <select {...props} {...select}>
          {children}
        </select>
      )}
    />
  )
}

function FieldMessage({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  if (error)
    return (
      <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-rose-400">
        {error}
      </p>
    )
  if (hint)
    return (
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-400">
        {hint}
      </p>
    )
  return null
}

type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost'

const buttonVariants: Record<ButtonVariant, string> = {
  // White on violet-500 is 4.4:1, under AA's 4.5:1 (axe), so hover goes darker (violet-700), not
  // lighter: a button just clicked, and a touched one on a phone, stays hovered.
  primary: 'bg-violet-600 text-white hover:bg-violet-700 shadow-lg shadow-violet-500/20',
  secondary: 'border border-slate-700 bg-slate-800/80 text-slate-100 hover:bg-slate-700',
  danger: 'border border-rose-500/40 bg-rose-500/10 text-rose-300 hover:bg-rose-500/20',
  ghost: 'text-slate-300 hover:bg-slate-800 hover:text-white',
}

export function buttonClass(variant: ButtonVariant = 'primary', size: 'sm' | 'md' = 'md') {
  return cx(
    'inline-flex items-center justify-center gap-2 rounded-lg font-medium transition disabled:cursor-not-allowed disabled:opacity-60',
    size === 'sm' ? 'px-2.5 py-1.5 text-xs' : 'px-4 py-2 text-sm',
    buttonVariants[variant],
  )
}

export function Button({ variant = 'primary', size = 'md', className, ...button }: ComponentProps<'button'> & { variant?: ButtonVariant; size?: 'sm' | 'md' }) {
  return <button type="submit" className={cx(buttonClass(variant, size), className)} {...button} />
}

/** A form's answer above its fields: the success note, or what went wrong with the whole form. */
export function FormNotice({ result }: { result: { ok: boolean; message?: string } | undefined }) {
  if (!result?.message) return null
  return <Notice tone={result.ok ? 'success' : 'error'}>{result.message}</Notice>
}

/** A notice about a whole form or page: an error, or a success. */
export function Notice({ tone = 'error', children }: { tone?: 'error' | 'success' | 'info'; children: ReactNode }) {
  const tones = {
    error: 'border-rose-500/40 bg-rose-500/10 text-rose-200',
    success: 'border-emerald-500/40 bg-emerald-500/10 text-emerald-200',
    info: 'border-sky-500/40 bg-sky-500/10 text-sky-200',
  }
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={cx('rounded-lg border px-3 py-2 text-sm', tones[tone])}>
      {children}
    </div>
  )
}

export function Card({ title, description, actions, children, className }: { title?: ReactNode; description?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={cx('rounded-2xl border border-slate-800 bg-slate-900/60 p-5 shadow-xl shadow-black/20', className)}>
      {(title || actions) && (
        <header className="mb-4 flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            {title && <h2 className="text-base font-semibold text-white">{title}</h2>}
            {description && <p className="mt-1 text-sm text-slate-400">{description}</p>}
          </div>
          {actions}
        </header>
      )}
      {children}
    </section>
  )
}

export function PageHeader({ title, description, actions, eyebrow }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; eyebrow?: ReactNode }) {
  return (
    <div className="mb-8 flex flex-wrap items-end justify-between gap-4">
      <div>
        {eyebrow && <p className="mb-1 text-xs font-semibold uppercase tracking-wider text-violet-300">{eyebrow}</p>}
        <h1 className="text-2xl font-semibold tracking-tight text-white sm:text-3xl">{title}</h1>
        {description && <p className="mt-2 max-w-2xl text-sm text-slate-400">{description}</p>}
      </div>
      {actions}
    </div>
  )
}

export function Badge({ children, tone = 'slate' }: { children: ReactNode; tone?: 'slate' | 'violet' | 'emerald' | 'amber' | 'rose' }) {
  const tones = {
    slate: 'bg-slate-800 text-slate-300 ring-slate-700',
    violet: 'bg-violet-500/15 text-violet-200 ring-violet-500/30',
    emerald: 'bg-emerald-500/15 text-emerald-200 ring-emerald-500/30',
    amber: 'bg-amber-500/15 text-amber-200 ring-amber-500/30',
    rose: 'bg-rose-500/15 text-rose-200 ring-rose-500/30',
  }
  return <span className={cx('inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', tones[tone])}>{children}</span>
}

/** The Reelpilot mark: a play triangle in a rounded, vertical (9:16) frame. */
export function Logo({ className }: { className?: string }) {
  return (
    <span className={cx('inline-flex items-center gap-2 font-semibold tracking-tight text-white', className)}>
      <svg viewBox="0 0 24 32" className="h-6 w-auto" aria-hidden="true">
        <defs>
          <linearGradient id="rp-logo" x1="0" y1="0" x2="1" y2="1">
            <stop offset="0" stopColor="#a78bfa" />
            <stop offset="1" stopColor="#f472b6" />
          </linearGradient>
        </defs>
        <rect x="1" y="1" width="22" height="30" rx="6" fill="url(#rp-logo)" />
        <path d="M9.5 10.5v11l9-5.5z" fill="white" />
      </svg>
      Reelpilot
    </span>
  )
}

