// The ring page: no build step. It draws with the same module `ringdht ring --svg` uses,
// follows /v1/events (Server-Sent Events) and talks to /v1/kv for the get/put box.
import { layoutRing, renderRingSvg, shortPeerId } from '/assets/ring-svg.js'

const params = new URLSearchParams(location.search)
const token = params.get('token') ?? localStorage.getItem('ringdht-token') ?? undefined
if (params.get('token') !== null) localStorage.setItem('ringdht-token', params.get('token'))
const auth = token === undefined ? {} : { authorization: `Bearer ${token}` }

const state = { snapshot: undefined, path: [], hovered: undefined }
const ringEl = document.getElementById('ring')
const summaryEl = document.getElementById('summary')
const connectionEl = document.getElementById('connection')
const membersEl = document.querySelector('#members tbody')
const eventsEl = document.getElementById('events')
const resultEl = document.getElementById('result')

function text(value) {
  const span = document.createElement('span')
  span.textContent = value
  return span.innerHTML
}

function draw() {
  const snapshot = state.snapshot
  if (snapshot === undefined) return
  ringEl.innerHTML = renderRingSvg(snapshot.members, {
    replicas: snapshot.replicas,
    path: state.path,
    caption: `walked ${new Date(snapshot.at).toLocaleTimeString()}`,
  })
  const laid = layoutRing(snapshot.members, { replicas: snapshot.replicas })
  const live = laid.filter((m) => m.state === 'ok')
  summaryEl.textContent = `${live.length} live member${live.length === 1 ? '' : 's'}, ${laid.length - live.length} failed or left`
  membersEl.innerHTML = laid
    .map(
      (m) =>
        `<tr data-peer-id="${text(m.peerId)}" class="${m.state}"><td title="${text(m.peerId)}">${text(shortPeerId(m.peerId))}</td><td>${m.state}</td><td>${m.keyCount ?? 0}</td><td>${m.replicaKeyCount ?? 0}</td><td>${text(m.replicaSet.map(shortPeerId).join(' '))}</td></tr>`,
    )
    .join('')
  highlight(state.hovered)
}

/** Hovering a member shows the replica set of its arc: the arcs of those members light up. */
function highlight(peerId) {
  state.hovered = peerId
  const svg = ringEl.querySelector('svg')
  if (svg === null) return
  const member =
    peerId === undefined ? null : svg.querySelector(`.member[data-peer-id="${CSS.escape(peerId)}"]`)
  const set = new Set((member?.dataset.replicas ?? '').split(' ').filter((id) => id !== ''))
  ringEl.classList.toggle('hovering', set.size > 0)
  for (const arc of svg.querySelectorAll('.arc'))
    arc.classList.toggle('hot', set.has(arc.dataset.owner))
}

ringEl.addEventListener('mouseover', (event) => {
  const member = event.target.closest?.('.member')
  highlight(member?.dataset.peerId)
})
ringEl.addEventListener('mouseleave', () => highlight(undefined))

function logEvent(line) {
  const div = document.createElement('div')
  div.textContent = `${new Date().toLocaleTimeString()} ${line}`
  eventsEl.prepend(div)
  while (eventsEl.childElementCount > 100) eventsEl.lastElementChild.remove()
}

function connect() {
  const url =
    token === undefined ? '/v1/events' : `/v1/events?access_token=${encodeURIComponent(token)}`
  const source = new EventSource(url)
  source.addEventListener('open', () => {
    connectionEl.dataset.state = 'live'
    connectionEl.textContent = 'live'
  })
  source.addEventListener('error', () => {
    connectionEl.dataset.state = 'reconnecting'
    connectionEl.textContent = 'reconnecting…'
  })
  source.addEventListener('ring', (event) => {
    const previous = state.snapshot
    state.snapshot = JSON.parse(event.data)
    if (previous !== undefined) {
      const before = new Map(previous.members.map((m) => [m.peerId, m.state]))
      for (const m of state.snapshot.members) {
        const was = before.get(m.peerId)
        if (was === undefined) logEvent(`${shortPeerId(m.peerId)} joined`)
        else if (was !== m.state) logEvent(`${shortPeerId(m.peerId)} is ${m.state}`)
      }
    }
    draw()
  })
  source.addEventListener('peer', (event) => {
    const { event: name, detail } = JSON.parse(event.data)
    const who =
      detail.peer ?? detail.successor ?? detail.predecessor ?? detail.from ?? detail.to ?? ''
    logEvent(
      `${name} ${shortPeerId(String(who))}${detail.reason ? ` (${detail.reason})` : ''}${detail.count !== undefined ? ` ${detail.count} keys` : ''}`,
    )
  })
}

document.getElementById('kv').addEventListener('submit', async (event) => {
  event.preventDefault()
  const action = event.submitter?.value ?? 'get'
  const key = document.getElementById('key').value
  const url = `/v1/kv/${encodeURIComponent(key)}?trace=1`
  resultEl.textContent = '…'
  try {
    const response =
      action === 'put'
        ? await fetch(url, {
            method: 'PUT',
            headers: auth,
            body: document.getElementById('value').value,
          })
        : await fetch(url, { headers: auth })
    const path = (response.headers.get('x-ringdht-path') ?? '').split(',').filter((id) => id !== '')
    const hops = response.headers.get('x-ringdht-hops')
    let body
    if (!response.ok) body = (await response.json()).message
    else if (action === 'get') body = await response.text()
    else body = `written to ${(await response.json()).replicas ?? '?'} replicas`
    state.path = path
    resultEl.textContent = `${action} ${key}: ${response.status}\n${body}\n${hops === null ? '' : `${hops} hops, path: ${path.map(shortPeerId).join(' → ')}`}`
    draw()
  } catch (err) {
    resultEl.textContent = `${action} failed: ${err.message}`
  }
})

connect()
