// Uploads through the media library's signed URL path, against a plain R2 put of the same bytes
// in the same run, and the Worker's memory while a 1 GB multipart upload goes through.
//
// - The product is started for real (e2e harness: scripts/start.mjs, wrangler dev, workerd).
// - Baseline: a bare Worker, also under `wrangler dev` on this machine, whose whole code is
//   `env.MEDIA.put(key, request.body)`, sent the same bytes over HTTP the same way.
// - Memory: the resident set (VmRSS, /proc) of the product's workerd processes, sampled every
//   50 ms while 1 GB goes up in 16 MiB parts, two at a time. Flat means streamed: the peak growth
//   must be a small fraction of the bytes sent.
// Figures, not pass/fail (exit 1 only if something breaks).
import { request } from 'node:http'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { startProduct } from '../e2e/harness.ts'
import { startBareWorker } from './bare-worker.ts'
import { benchPerson } from './person.ts'

const MB = 1_000_000
const MiB = 1024 * 1024
const SINGLE_BYTES = 64 * MiB
const SINGLE_RUNS = 5
const MULTIPART_BYTES = 1024 * MiB
const PART_BYTES = 16 * MiB
const PARALLEL_PARTS = 2

/** Random-looking bytes (R2 must not get an easy ride from zeros). */
function payload(bytes: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes)
  let x = 0x9e3779b9
  for (let i = 0; i < bytes; i += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x
    out[i + 1] = x >>> 8
    out[i + 2] = x >>> 16
    out[i + 3] = x >>> 24
  }
  return out
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function timedPut(url: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Promise<number> {
  const start = performance.now()
  const res = await fetch(url, { method: 'PUT', body, headers })
  const text = await res.text()
  if (!res.ok) throw new Error(`PUT ${url.slice(0, 60)}… answered ${res.status}: ${text.slice(0, 300)}`)
  return performance.now() - start
}

// ---- workerd's memory, from /proc

/** The pid listening on 127.0.0.1:port (its socket inode, found in /proc/net/tcp, then in a pid's fds). */
function listenerPid(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  const inodes = new Set<string>()
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols.length > 9 && cols[1].endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9])
    }
  }
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`)
        const m = /^socket:\[(\d+)\]$/.exec(link)
        if (m && inodes.has(m[1])) return Number(pid)
      }
    } catch {
      // Not ours to read, or gone.
    }
  }
  throw new Error(`nothing listens on port ${port}`)
}

const stat = (pid: number | string) => readFileSync(`/proc/${pid}/stat`, 'utf8')
const pgidOf = (pid: number | string) => Number(stat(pid).slice(stat(pid).lastIndexOf(')') + 2).split(' ')[2])

/** Every workerd process in the product's process group. */
function workerdPids(port: number): number[] {
  const group = pgidOf(listenerPid(port))
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return pgidOf(pid) === group && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'workerd'
      } catch {
        return false
      }
    })
    .map(Number)
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) * 1024 : 0
}

/** The baseline: a Worker that only streams the request body into R2, under wrangler dev. */
async function startBareR2() {
  const bare = await startBareWorker('r2', {
    code: `export default { async fetch(request, env) {
      const object = await env.MEDIA.put(new URL(request.url).pathname.slice(1), request.body)
      return Response.json({ size: object.size })
    } }`,
    config: `[[r2_buckets]]\nbinding = "MEDIA"\nbucket_name = "bare"\n`,
    ping: { path: '/ping', init: { method: 'PUT', body: 'x' } },
  })
  return { ...bare, url: `${bare.url}/` }
}

/** Samples the summed RSS of `pids` every 50 ms; `mark()` splits the run into two halves. */
function sampleMemory(pids: number[]) {
  const total = () =>
    pids.reduce((sum, pid) => {
      try {
        return sum + rssBytes(pid)
      } catch {
        return sum
      }
    }, 0)
  const before = total()
  const peaks = [before, before]
  let half = 0
  const timer = setInterval(() => {
    const now = total()
    if (now > peaks[half]) peaks[half] = now
  }, 50)
  return {
    mark() {
      half = 1
    },
    stop() {
      clearInterval(timer)
      return { before, firstHalf: peaks[0], secondHalf: peaks[1], peak: Math.max(...peaks) }
    },
  }
}

/** PUTs `total` bytes (`chunk` repeated) in one request with Content-Length, respecting backpressure. */
function streamPut(url: string, total: number, chunk: Uint8Array, onHalf: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'content-length': String(total) } }, (res) => {
      res.resume()
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`bare PUT answered ${res.statusCode}`))))
    })
    req.on('error', reject)
    let sent = 0
    const pump = () => {
      while (sent < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent))
        sent += piece.length
        if (sent >= total / 2 && sent - piece.length < total / 2) onHalf()
        if (!req.write(piece)) return void req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
}

async function main() {
  const single = payload(SINGLE_BYTES)
  const part = payload(PART_BYTES)

  console.log('upload bench: starting the product and a bare R2 Worker…')
  const product = await startProduct()
  const bare = await startBareR2()
  try {
    const bareUrl = bare.url
    const { api, projectId } = await benchPerson(product.baseUrl)

    // Warm both paths once.
    await timedPut(new URL('warm', bareUrl).toString(), single)
    const warm = await api('POST', '/media/upload-url', { projectId, filename: 'warm.mp4', contentType: 'video/mp4', size: SINGLE_BYTES })
    await timedPut(warm.uploadUrl, single)

    const ours: number[] = []
    const plain: number[] = []
    for (let i = 0; i < SINGLE_RUNS; i++) {
      // Alternate, so drift on the machine hits both sides alike.
      plain.push(await timedPut(new URL(`plain-${i}`, bareUrl).toString(), single))
      const started = await api('POST', '/media/upload-url', { projectId, filename: `run-${i}.mp4`, contentType: 'video/mp4', size: SINGLE_BYTES })
      ours.push(await timedPut(started.uploadUrl, single))
    }
    const mbps = (ms: number) => SINGLE_BYTES / MB / (ms / 1000)
    console.log(`\nsingle PUT of ${SINGLE_BYTES / MiB} MiB, median of ${SINGLE_RUNS}:`)
    console.log(`  plain R2 put (bare Worker):     ${mbps(median(plain)).toFixed(0)} MB/s`)
    console.log(`  signed URL path (our Worker):   ${mbps(median(ours)).toFixed(0)} MB/s`)
    console.log(`  ratio signed path / plain put:  ${(median(plain) / median(ours)).toFixed(2)}`)

    // ---- 1 GB multipart, memory sampled meanwhile
    const pids = workerdPids(product.port)
    const memory = sampleMemory(pids)
    let partsDone = 0

    const created = await api('POST', '/media/multipart', { projectId, filename: 'gigabyte.mp4', contentType: 'video/mp4', size: MULTIPART_BYTES, partSize: PART_BYTES })
    const numbers = Array.from({ length: created.partCount }, (_, i) => i + 1)
    const urls = new Map<number, string>()
    for (let i = 0; i < numbers.length; i += 100) {
      for (const p of (await api('POST', `/media/${created.mediaId}/parts`, { partNumbers: numbers.slice(i, i + 100) })).parts) urls.set(p.partNumber, p.uploadUrl)
    }
    const start = performance.now()
    const queue = [...numbers]
    await Promise.all(
      Array.from({ length: PARALLEL_PARTS }, async () => {
        for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
          await timedPut(urls.get(n)!, part)
          if (++partsDone === numbers.length / 2) memory.mark()
        }
      }),
    )
    const elapsed = performance.now() - start
    const mem = memory.stop()
    const listed = await api('GET', `/media/${created.mediaId}/parts`)
    if (listed.missing.length) throw new Error(`parts missing after upload: ${listed.missing}`)

    console.log(`\n1 GiB multipart upload (${created.partCount} parts of ${PART_BYTES / MiB} MiB, ${PARALLEL_PARTS} at a time): ${(MULTIPART_BYTES / MB / (elapsed / 1000)).toFixed(0)} MB/s`)
    console.log(`  workerd processes sampled:      ${pids.length} (pids ${pids.join(', ')})`)
    console.log(`  RSS before:                     ${(mem.before / MiB).toFixed(0)} MiB`)
    console.log(`  RSS peak, first / second half:  ${(mem.firstHalf / MiB).toFixed(0)} / ${(mem.secondHalf / MiB).toFixed(0)} MiB`)
    console.log(`  peak / before:                  ${(mem.peak / mem.before).toFixed(2)}`)
    console.log(`  second-half peak / first-half:  ${(mem.secondHalf / mem.firstHalf).toFixed(2)}  (flat: about 1; buffering would keep growing)`)
    console.log(`  growth / bytes uploaded:        ${((mem.peak - mem.before) / MULTIPART_BYTES).toFixed(3)}  (1.000 would mean the whole file was held)`)
    await api('POST', `/media/${created.mediaId}/abort`)

    // The same gigabyte streamed in one request into the bare Worker: what workerd and local R2
    // cost on their own, whatever our code does.
    const barePids = workerdPids(Number(new URL(bareUrl).port))
    const bareMemory = sampleMemory(barePids)
    const bareStart = performance.now()
    await streamPut(new URL('gigabyte', bareUrl).toString(), MULTIPART_BYTES, part, () => bareMemory.mark())
    const bareElapsed = performance.now() - bareStart
    const baseline = bareMemory.stop()
    console.log(`\n1 GiB in one streamed PUT to the bare Worker: ${(MULTIPART_BYTES / MB / (bareElapsed / 1000)).toFixed(0)} MB/s`)
    console.log(`  RSS growth, bare Worker:        ${((baseline.peak - baseline.before) / MiB).toFixed(0)} MiB`)
    console.log(`  RSS growth, our Worker:         ${((mem.peak - mem.before) / MiB).toFixed(0)} MiB`)
    console.log(`  ratio ours / bare:              ${((mem.peak - mem.before) / Math.max(1, baseline.peak - baseline.before)).toFixed(2)}`)
  } finally {
    await bare.stop()
    await product.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
