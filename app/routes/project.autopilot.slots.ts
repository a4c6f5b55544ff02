/**
 * GET /projects/:id/autopilot/slots?<the autopilot form> — the next seven publish times of the
 * configuration the form describes, before it is saved, so the autopilot page shows them live.
 * The same schema and slot function as `GET /api/autopilot/:id/slots`, applied to the unsaved
 * form (the API computes slots of the saved configuration only). `moved` lists the slots outside
 * their window: on a spring-forward day that skips the whole window, the slot is the moment the
 * clocks jump (see workers/domain/slots.ts).
 */
import { autopilotConfigSchema } from '../../workers/domain/autopilot-config'
import { isWithinWindows, nextSlots } from '../../workers/domain/slots'
import { fieldErrors } from '../../workers/lib/errors'
import { loadApi } from '../lib/api.server'
import type { FieldError } from '../lib/forms'
import { configFromForm, formField } from './project.autopilot.server'
import type { Route } from './+types/project.autopilot.slots'

export const SLOTS_SHOWN = 7

export async function loader({ context, request, params }: Route.LoaderArgs): Promise<{ slots: string[]; moved: string[]; errors: FieldError[] }> {
  // Only members of the project see its slots (they are seeded by its id).
  await loadApi(context, request, `/projects/${encodeURIComponent(params.id)}`)
  const parsed = autopilotConfigSchema.safeParse(configFromForm(new URL(request.url).searchParams))
  if (!parsed.success) return { slots: [], moved: [], errors: fieldErrors(parsed.error).map((e) => ({ field: formField(e.field), message: e.message })) }
  const slots = nextSlots(parsed.data, { projectId: params.id, after: new Date(), count: SLOTS_SHOWN })
  const moved = slots.filter((d) => !isWithinWindows(parsed.data, d))
  return { slots: slots.map((d) => d.toISOString()), moved: moved.map((d) => d.toISOString()), errors: [] }
}
