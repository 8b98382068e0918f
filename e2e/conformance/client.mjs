// A live-protocol client written only from docs/protocol.md, with
// ot-text-unicode for the text operations and ws for the socket (Node 20
// has no stable WebSocket client). e2e/conformance_test.go runs it against
// the built server:
//
//   DRAFTROOM_URL=http://127.0.0.1:PORT DRAFTROOM_DOCUMENT=ID \
//   DRAFTROOM_TOKENS=tok1,tok2,… node client.mjs
//
// Every token must be a chair's (the chair may edit any text; the document
// must hold no brackets, and this client inserts none). It connects one
// client per token and runs:
//   1. rounds of concurrent deletes of the same range by several clients
//      (all but one of them are transformed to nothing: "op":[]);
//   2. random concurrent inserts and deletes in Arabic, Chinese, Cyrillic,
//      emoji and Latin, during which every client drops its connection
//      once (sometimes with an edit in flight) and reconnects with since=;
//   3. with DRAFTROOM_DELEGATE_TOKEN (a delegate's), a round of the floor:
//      the delegate asks for the floor on a paragraph (asking twice is
//      refused), the first chair gives it, switches floor-only typing on
//      and off, and closes the floor; every client keeps the floor from the
//      welcome's document and the floor.* ops ("The floor").
// then waits until every client has every op and checks each replica (the
// text, and the floor) against the server's document (GET
// /api/v1/documents/{id}). It prints a JSON summary on stdout and exits 0,
// or prints why it failed and exits 1.

import WebSocket from 'ws'
import otText from 'ot-text-unicode'

const { type } = otText
const base = process.env.DRAFTROOM_URL
const docID = process.env.DRAFTROOM_DOCUMENT
const tokens = (process.env.DRAFTROOM_TOKENS || '').split(',').filter(Boolean)
const editsPerClient = Number(process.env.DRAFTROOM_EDITS || 60)
const deleteRounds = Number(process.env.DRAFTROOM_DELETE_ROUNDS || 6)
const seed = Number(process.env.DRAFTROOM_SEED || 20261130)
const delegateToken = process.env.DRAFTROOM_DELEGATE_TOKEN || ''

function fail (msg) {
  process.stderr.write('conformance: ' + msg + '\n')
  process.exit(1)
}
if (!base || !docID || tokens.length < 3) fail('need DRAFTROOM_URL, DRAFTROOM_DOCUMENT and three or more DRAFTROOM_TOKENS')
setTimeout(() => fail('timed out after 150 s'), 150_000).unref()

// A small seeded PRNG (mulberry32), so a failure can be replayed.
let state = seed >>> 0
function random () {
  state = (state + 0x6d2b79f5) >>> 0
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = (list) => list[Math.floor(random() * list.length)]
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// Positions count code points (docs/protocol.md), not UTF-16 units.
const codePoints = (s) => [...s].length
const pieces = ['مرحبا ', 'عالم', '中文', '决议 ', 'Мир ', 'да', '👩🏽‍💻', '🇺🇳 ', 'é', 'word ', 'x']

// op builders: normalized (no empty components, no trailing skip).
const insertOp = (pos, text) => (pos > 0 ? [pos, text] : [text])
const deleteOp = (pos, n) => (pos > 0 ? [pos, { d: n }] : [{ d: n }])

class Client {
  constructor (n, token) {
    this.n = n
    this.token = token
    this.you = null
    this.seq = -1
    this.paras = new Map() // paragraph id → text
    this.handleParas = [] // paragraph handle → id
    this.handlePeople = [] // who handle → {participant, author}
    this.floor = null // {speaking, queue, only}, from the welcome and floor.* ops
    this.actions = new Map() // ref → {resolve, reject}: actions awaiting their op or error
    this.inflight = null // {ref, para, op}: op applies to the server's text at this.seq
    this.refs = 0
    this.ws = null
    this.connected = false
    this.listeners = new Set()
    this.stats = { emptyTextOps: 0, ops: 0, reconnects: 0, rateLimited: 0, acks: 0 }
  }

  notify () {
    for (const fn of [...this.listeners]) fn()
  }

  // until resolves when cond() holds, checking after every change.
  until (cond) {
    if (cond()) return Promise.resolve()
    return new Promise((resolve) => {
      const fn = () => {
        if (cond()) {
          this.listeners.delete(fn)
          resolve()
        }
      }
      this.listeners.add(fn)
    })
  }

  // connect opens the socket (with ?since=seq when the client has a
  // replica) and resolves once the welcome and any catch-up are in.
  connect () {
    const since = this.seq >= 0 ? `?since=${this.seq}` : ''
    const url = base.replace(/^http/, 'ws') + `/api/v1/documents/${docID}/live${since}`
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${this.token}` } })
    this.ws = ws
    let target = null // the welcome's seq
    return new Promise((resolve, reject) => {
      ws.on('unexpected-response', (_, res) => reject(new Error(`client ${this.n}: upgrade refused with ${res.statusCode}`)))
      ws.on('error', (err) => {
        if (!this.connected) reject(err)
      })
      ws.on('close', (code, reason) => {
        const mine = ws === this.ws
        if (mine) this.connected = false
        if (mine && !this.dropping && !this.finished) fail(`client ${this.n}: closed by the server with ${code} ${reason}`)
      })
      ws.on('message', (data) => {
        if (ws !== this.ws) return // a dropped connection's last frames
        let f
        try {
          f = JSON.parse(data.toString())
        } catch (e) {
          fail(`client ${this.n}: frame is not JSON: ${data}`)
        }
        if (f.type === 'welcome') {
          this.you = f.you
          // The room's handles (docs/protocol.md, "Handles").
          if (!Array.isArray(f.paras) || !Array.isArray(f.people)) fail(`client ${this.n}: welcome without handle tables`)
          this.handleParas = f.paras.slice()
          this.handlePeople = f.people.slice()
          target = f.seq
          if (f.document) {
            if (this.seq >= 0) fail(`client ${this.n}: reconnecting with since=${this.seq} sent the whole document`)
            this.load(f.document)
          } else if (this.seq < 0) {
            fail(`client ${this.n}: first welcome without a document`)
          }
        } else if (f.type === 'ops') {
          this.receive(f.ops)
        } else if (f.type === 'error') {
          this.refused(f)
        } // presence and unknown types: nothing to do
        if (!this.connected && target !== null && this.seq >= target) {
          this.connected = true
          this.dropping = false
          // Resend what was in flight, with the same ref (docs/protocol.md,
          // "Reconnecting").
          if (this.inflight) this.send()
          resolve()
        }
        this.notify()
      })
    })
  }

  load (doc) {
    if (!Array.isArray(doc.sections)) fail(`client ${this.n}: the welcome's document has no sections`)
    this.paras.clear()
    for (const s of doc.sections) {
      for (const p of s.paragraphs) this.paras.set(p.id, p.text)
    }
    if (!doc.floor || !Array.isArray(doc.floor.queue)) fail(`client ${this.n}: the welcome's document has no floor: ${JSON.stringify(doc.floor)}`)
    this.floor = floorOf(doc.floor)
    this.seq = doc.seq
  }

  // applyFloor applies a floor.* op as docs/protocol.md, "The floor", says.
  applyFloor (op) {
    const d = op.data || {}
    const f = this.floor
    const drop = (code) => { f.queue = f.queue.filter((q) => q.delegation !== code) }
    switch (op.kind) {
      case 'floor.request':
        if (f.queue.some((q) => q.delegation === d.delegation)) fail(`client ${this.n}: ${d.delegation} asked twice: ${JSON.stringify(op)}`)
        f.queue.push(floorRequest(d))
        break
      case 'floor.withdraw':
        drop(d.delegation)
        break
      case 'floor.give':
        f.speaking = d.delegation
        drop(d.delegation)
        break
      case 'floor.close':
        f.speaking = null
        break
      case 'floor.mode':
        if (typeof d.only !== 'boolean') fail(`client ${this.n}: floor.mode without only: ${JSON.stringify(op)}`)
        f.only = d.only
        break
      default:
        fail(`client ${this.n}: unknown floor op ${op.kind}`)
    }
  }

  // action sends an action and resolves with its op, or rejects with its
  // error frame.
  action (kind, fields = {}) {
    const ref = `c${this.n}-a${++this.refs}`
    return new Promise((resolve, reject) => {
      this.actions.set(ref, { resolve, reject })
      this.ws.send(JSON.stringify({ type: 'action', ref, kind, ...fields }))
    })
  }

  receive (ops) {
    if (!Array.isArray(ops)) fail(`client ${this.n}: ops frame without an ops array`)
    for (const op of ops) {
      // Handles an op defines hold from then on; then name its paragraph
      // and its participant.
      if (op.pid !== undefined) this.handleParas[op.p] = op.pid
      if (op.who !== undefined) this.handlePeople[op.by] = op.who
      const by = op.by === undefined ? {} : this.handlePeople[op.by]
      if (by === undefined) fail(`client ${this.n}: op ${op.seq} by unknown handle ${op.by}`)
      const kind = op.kind === undefined ? 'text' : op.kind
      const para = kind === 'text' ? this.handleParas[op.p] : undefined
      if (kind === 'text' && para === undefined) fail(`client ${this.n}: text op ${op.seq} in unknown paragraph handle ${op.p}`)
      const own = this.you && by.participant === this.you.participant && this.inflight && op.ref === this.inflight.ref
      if (op.seq <= this.seq) {
        // Seen already; it may still be the answer to our resend.
        if (own) this.acked()
        continue
      }
      if (op.seq !== this.seq + 1) fail(`client ${this.n}: got seq ${op.seq} after ${this.seq}`)
      this.seq = op.seq
      this.stats.ops++
      if (kind.startsWith('floor.')) this.applyFloor(op)
      if (kind !== 'text') {
        // An action: its answer, if it is ours; data.op on data.para is
        // text like any edit (merges, brackets.*, proposal.unmerge).
        const waiting = this.you && by.participant === this.you.participant && this.actions.get(op.ref)
        const data = op.data || {}
        if (data.paragraph) this.paras.set(data.paragraph.id, data.paragraph.text)
        if (Array.isArray(data.op) && data.para) this.applyRemote(op.seq, data.para, data.op)
        if (data.removed_paragraph) this.paras.delete(data.removed_paragraph)
        if (kind === 'paragraph.delete') this.paras.delete(data.para)
        if (waiting) {
          this.actions.delete(op.ref)
          waiting.resolve(op)
        }
        continue
      }
      if (!Array.isArray(op.op)) fail(`client ${this.n}: text op ${op.seq} has no "op" array: ${JSON.stringify(op)}`)
      if (op.op.length === 0) this.stats.emptyTextOps++
      if (own) {
        this.acked() // already in the replica
        continue
      }
      this.applyRemote(op.seq, para, op.op)
    }
  }

  // applyRemote applies another's text op, transformed past the edit in flight.
  applyRemote (seq, para, incoming) {
    if (!this.paras.has(para)) fail(`client ${this.n}: op ${seq} on unknown paragraph ${para}`)
    if (this.inflight && this.inflight.para === para) {
      const mine = this.inflight.op
      this.inflight.op = type.transform(mine, incoming, 'left')
      incoming = type.transform(incoming, mine, 'right')
    }
    this.paras.set(para, type.apply(this.paras.get(para), incoming))
  }

  acked () {
    this.inflight = null
    this.stats.acks++
  }

  // action sends an action and resolves with its op (rejects with the
  // error frame). Sent when the client is idle, so it never races an edit.

  refused (f) {
    const waiting = this.actions.get(f.ref)
    if (waiting) {
      this.actions.delete(f.ref)
      waiting.reject(f)
      return
    }
    if (!this.inflight || f.ref !== this.inflight.ref) fail(`client ${this.n}: unexpected error frame ${JSON.stringify(f)}`)
    const ref = f.ref
    const again = (ms) => setTimeout(() => {
      if (this.inflight && this.inflight.ref === ref && this.connected) this.send()
    }, ms)
    switch (f.code) {
      case 'rate_limited':
        if (!(f.retry_after_ms > 0)) fail(`client ${this.n}: rate_limited without retry_after_ms: ${JSON.stringify(f)}`)
        this.stats.rateLimited++
        again(f.retry_after_ms)
        break
      case 'unavailable':
        again(200)
        break
      default:
        fail(`client ${this.n}: edit refused: ${JSON.stringify(f)}`)
    }
  }

  send () {
    const { ref, para, op } = this.inflight
    this.ws.send(JSON.stringify({ type: 'edit', ref, para, base: this.seq, op }))
  }

  // edit applies op to the replica and sends it; one edit in flight at most.
  edit (para, op) {
    if (this.inflight) throw new Error('an edit is already in flight')
    this.paras.set(para, type.apply(this.paras.get(para), op))
    this.inflight = { ref: `c${this.n}-${++this.refs}`, para, op }
    if (this.connected) this.send()
  }

  randomEdit () {
    const para = pick([...this.paras.keys()])
    const len = codePoints(this.paras.get(para))
    if (len > 12 && (random() < 0.4 || len > 200)) {
      const pos = Math.floor(random() * (len - 1))
      this.edit(para, deleteOp(pos, 1 + Math.floor(random() * Math.min(6, len - pos - 1))))
    } else {
      this.edit(para, insertOp(Math.floor(random() * (len + 1)), pick(pieces)))
    }
  }

  // drop cuts the connection as a network would, and reconnects a little later.
  async drop () {
    this.dropping = true
    this.connected = false
    this.ws.terminate()
    await delay(20 + random() * 100)
    this.stats.reconnects++
    await this.connect()
  }

  idle () {
    return this.until(() => this.connected && !this.inflight)
  }
}

function floorRequest (d) {
  const q = { delegation: d.delegation }
  if (d.para) q.para = d.para
  if (d.at) q.at = d.at
  return q
}

function floorOf (f) {
  return { speaking: f.speaking ?? null, queue: f.queue.map(floorRequest), only: f.only === true }
}

async function serverDocument () {
  const res = await fetch(`${base}/api/v1/documents/${docID}`, { headers: { Authorization: `Bearer ${tokens[0]}` } })
  if (res.status !== 200) fail(`GET document: ${res.status}`)
  return res.json()
}

// settle waits until every client is idle and at the server's seq, and
// checks that every replica is the server's text.
async function settle (clients, what) {
  await Promise.all(clients.map((c) => c.idle()))
  const doc = await serverDocument()
  await Promise.all(clients.map((c) => c.until(() => c.seq >= doc.seq)))
  const want = new Map()
  for (const s of doc.sections) for (const p of s.paragraphs) want.set(p.id, p.text)
  const floor = JSON.stringify(floorOf(doc.floor))
  for (const c of clients) {
    if (c.seq !== doc.seq) fail(`${what}: client ${c.n} at seq ${c.seq}, server at ${doc.seq}`)
    if (JSON.stringify(c.floor) !== floor) fail(`${what}: client ${c.n}'s floor ${JSON.stringify(c.floor)}, the server's ${floor}`)
    for (const [id, text] of want) {
      if (c.paras.get(id) !== text) fail(`${what}: client ${c.n} diverged on ${id}:\n client ${JSON.stringify(c.paras.get(id))}\n server ${JSON.stringify(text)}`)
    }
  }
  return doc
}

const clients = tokens.map((tok, i) => new Client(i + 1, tok))
await Promise.all(clients.map((c) => c.connect()))
await settle(clients, 'after connecting')

// 1. Concurrent deletes of the same range: every client deletes the same
// code points of the same paragraph in the same tick, so none has seen the
// others' delete; the server applies the first and empties the rest.
for (let round = 0; round < deleteRounds; round++) {
  const first = clients[0]
  const candidates = [...first.paras.keys()].filter((id) => codePoints(first.paras.get(id)) >= 8)
  if (candidates.length === 0) fail('no paragraph long enough to delete from')
  const para = pick(candidates)
  const len = codePoints(first.paras.get(para))
  const n = 1 + Math.floor(random() * 4)
  const pos = Math.floor(random() * (len - n))
  for (const c of clients) c.edit(para, deleteOp(pos, n))
  await settle(clients, `delete round ${round + 1}`)
}

// 2. Random concurrent edits; each client drops its connection once.
await Promise.all(clients.map(async (c) => {
  const dropAt = Math.floor(random() * editsPerClient)
  for (let k = 0; k < editsPerClient; k++) {
    await c.idle()
    c.randomEdit()
    if (k === dropAt) {
      // Half the time with the edit still in flight.
      if (random() < 0.5) await c.idle()
      await c.drop()
    } else {
      await delay(random() * 30)
    }
  }
}))
await settle(clients, 'after the random edits')

// 3. A round of the floor, with a delegate.
let floorOps = 0
const everyone = [...clients]
if (delegateToken) {
  const del = new Client(clients.length + 1, delegateToken)
  await del.connect()
  everyone.push(del)
  const chair = clients[0]
  const code = del.you.delegation
  if (!code) fail(`the delegate's welcome names no delegation: ${JSON.stringify(del.you)}`)
  const para = [...del.paras.keys()][0]
  const asked = await del.action('floor.request', { para })
  if (asked.data.delegation !== code || asked.data.para !== para) fail(`floor.request op ${JSON.stringify(asked)}`)
  const again = await del.action('floor.request', {}).then((op) => fail(`asking twice was accepted: ${JSON.stringify(op)}`), (e) => e)
  if (again.code !== 'invalid') fail(`asking twice: ${JSON.stringify(again)}`)
  await chair.until(() => chair.floor.queue.some((q) => q.delegation === code))
  await settle(everyone, 'after the request')
  await chair.action('floor.give', { delegation: code })
  await chair.action('floor.mode', { only: true })
  await del.until(() => del.floor.speaking === code && del.floor.only)
  const d1 = await settle(everyone, 'after the floor was given')
  if (d1.floor.speaking !== code || d1.floor.queue.length !== 0 || d1.floor.only !== true) fail(`the server's floor: ${JSON.stringify(d1.floor)}`)
  await chair.action('floor.mode', { only: false })
  await chair.action('floor.close')
  floorOps = 5
}
let doc = await settle(everyone, 'after the floor round')
if (delegateToken && (doc.floor.speaking !== null || doc.floor.only !== false)) fail(`the floor did not close: ${JSON.stringify(doc.floor)}`)

// 4. The chair's actions. A group typed at the start of a paragraph and
// resolved in one step: "[alpha][beta] text" keeping alternative 1 gives
// "beta text", the op's data.op applied by every replica.
const chair = clients[0]
const [firstPara, lastPara] = [[...chair.paras.keys()][0], [...chair.paras.keys()].at(-1)]
const before = chair.paras.get(firstPara)
chair.edit(firstPara, insertOp(0, '[alpha][beta] '))
await settle(everyone, 'after typing a group')
const keep = await chair.action('brackets.keep', { para: firstPara, at: 1, alternative: 1 })
  .catch((e) => fail(`brackets.keep refused: ${e.message}`))
if (!Array.isArray(keep.data.op) || keep.data.para !== firstPara) fail(`brackets.keep op without data.op: ${JSON.stringify(keep)}`)
doc = await settle(everyone, 'after brackets.keep')
const kept = doc.sections.flatMap((s) => s.paragraphs).find((p) => p.id === firstPara)
if (kept.text !== 'beta ' + before) fail(`after brackets.keep: ${JSON.stringify(kept.text)}, want ${JSON.stringify('beta ' + before)}`)

// A MOD tabled for BRA, assigned to CEPT, merged: the inserted words are
// CEPT's (data.author), as the server's runs say too.
const current = chair.paras.get(lastPara)
const tabled = await chair.action('proposal.table', { para: lastPara, action: 'MOD', text: current + ' and promptly', doc_ref: 'B/1/1', proposer: 'BRA' })
  .catch((e) => fail(`proposal.table refused: ${e.message}`))
const proposal = tabled.data.proposal.id
const assigned = await chair.action('proposal.assign', { proposal, proposer: 'CEPT' })
  .catch((e) => fail(`proposal.assign refused: ${e.message}`))
if (assigned.data.proposal.proposer !== 'CEPT') fail(`proposal.assign's data: ${JSON.stringify(assigned.data)}`)
const merged = await chair.action('proposal.merge', { proposal })
  .catch((e) => fail(`proposal.merge refused: ${e.message}`))
if (merged.data.author !== 'CEPT') fail(`merged text credited to ${merged.data.author}, not the assigned proposer`)
doc = await settle(everyone, 'after the merge')
const after = doc.sections.flatMap((s) => s.paragraphs).find((p) => p.id === lastPara)
const authored = (p, author) => {
  const cps = [...p.text]
  let pos = 0
  let out = ''
  for (const [len, who] of p.authors) { // runs are [length, author] (docs/protocol.md)
    if (who === author) out += cps.slice(pos, pos + len).join('')
    pos += len
  }
  return out
}
if (authored(after, 'CEPT').trim() !== '[and promptly]') fail(`CEPT's words after the merge: ${JSON.stringify(authored(after, 'CEPT'))} in ${JSON.stringify(after)}`)
if (!authored(kept, 'chair').startsWith('beta ')) fail(`the kept alternative lost its author: ${JSON.stringify(kept)}`)

const total = (key) => clients.reduce((n, c) => n + c.stats[key], 0)
if (total('emptyTextOps') === 0) fail('no emptied text op was seen: the concurrent deletes did not collide')
for (const c of everyone) {
  c.finished = true
  c.ws.close()
}
process.stdout.write(JSON.stringify({
  clients: clients.length,
  seq: doc.seq,
  acks: total('acks'),
  emptyTextOps: total('emptyTextOps'),
  reconnects: total('reconnects'),
  rateLimited: total('rateLimited'),
  floorOps,
  kept: kept.text,
  proposal,
}) + '\n')
process.exit(0)
