/**
 * ProjectScheduler: one Durable Object per project. It owns *when* a project posts (its
 * configuration, its next slot and its alarm); D1 records what happened.
 * The autopilot issue gives it its configuration and alarm; this is its home and binding.
 */
import { DurableObject } from 'cloudflare:workers'

export class ProjectScheduler extends DurableObject<Env> {
  /** The scheduler's view of itself, for health and debugging. */
  async describe(): Promise<{ alarm: number | null }> {
    return { alarm: await this.ctx.storage.getAlarm() }
  }
}
