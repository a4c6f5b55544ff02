export default function Home() {
  return (
    <main className="mx-auto max-w-3xl p-8">
      <h1 className="text-4xl font-bold">Reelpilot</h1>
      <p className="mt-4 text-slate-300">An autopilot for short-form video.</p>
    </main>
  )
}
