/**
 * The project's tracked link (issue 13) on its overview page: where the short link of ours in
 * every published caption (`/l/:code`) leads. Its clicks are the traffic and conversion
 * objectives' reward. The API checks the address (`PATCH /api/projects/:id {linkUrl}`).
 */
import { Form } from 'react-router'
import { Button, Card, FormNotice, TextField } from './ui'
import type { FormResult } from '../lib/forms'

/** The form's intent, for the route's action. */
export const TRACKED_LINK_INTENT = 'update-link'

export function TrackedLinkSetting({ linkUrl, result, busy }: { linkUrl: string | null; result: FormResult | undefined; busy: boolean }) {
  const failed = result && !result.ok ? result : undefined
  return (
    <Card title="Tracked link" description="A short link of ours at the end of every caption, leading here. Its clicks (people only, once each a day) are what the traffic objective learns from.">
      <Form method="post" className="space-y-4" noValidate aria-label="Tracked link" key={linkUrl ?? ''}>
        <input type="hidden" name="intent" value={TRACKED_LINK_INTENT} />
        <FormNotice result={result} />
        <TextField
          label="Link address"
          name="linkUrl"
          type="url"
          inputMode="url"
          placeholder="https://your-shop.example/page"
          defaultValue={failed?.values?.linkUrl ?? linkUrl ?? ''}
          error={failed?.fieldErrors?.linkUrl}
          hint="Empty: no link in the captions (the traffic objective then counts shares and saves). Posts published from now on carry it; the link counts in each platform’s caption limit."
        />
        <Button disabled={busy}>{busy ? 'Saving…' : 'Save link'}</Button>
      </Form>
    </Card>
  )
}
