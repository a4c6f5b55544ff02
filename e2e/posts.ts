/** Posts in e2e tests, through the API as the signed-in page's user (kept out of harness.ts, which benches load outside vitest). */
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import type { Product } from './harness'

/** A post once it has left planned and rendering (rendered or failed), read through the API as the page's user. */
export async function settledPost(page: Page, product: Product, postId: string): Promise<any> {
  let post: any
  await expect
    .poll(async () => (post = await (await page.request.get(product.url(`/api/posts/${postId}`))).json()).status, { timeout: 240_000, interval: 1_000 })
    .not.toMatch(/^(planned|rendering)$/)
  return post
}
