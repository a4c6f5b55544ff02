/** /preview: try a style on one of your clips, rendered in the browser. Touches no server data. */
import { StylePreview } from '../components/style-preview'

export function meta() {
  return [{ title: 'Style preview · Reelpilot' }]
}

export default function PreviewRoute() {
  return (
    <main className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <header>
        <h1 className="text-2xl font-semibold">Style preview</h1>
        <p className="text-slate-400">Pick a clip and a style: a few seconds render right here in your browser, with the same recipe as the published video.</p>
      </header>
      <StylePreview />
    </main>
  )
}
