// Reference side of diff_test.go: runs ot-text-unicode on the cases the Go
// test generates. Reads a JSON array of {doc, a, b, c, raw} from stdin and
// writes one result object per case to stdout:
//   apply:     apply(doc, a)
//   left:      transform(a, b, 'left')
//   right:     transform(a, b, 'right')
//   compose:   compose(a, c)        (c applies to apply(doc, a))
//   normalize: normalize(raw)       (raw is an unnormalized component list)
//   invert:    invertWithDoc(a, doc)
// A call that throws yields {error: message} in its place.
'use strict'
const fs = require('fs')
const { type } = require('ot-text-unicode')

// Each call gets fresh copies: normalize and makeInvertible can mutate
// delete components of their input while merging.
const clone = (x) => JSON.parse(JSON.stringify(x))
const run = (fn) => {
  try {
    return fn()
  } catch (e) {
    return { error: String(e && e.message) }
  }
}

const cases = JSON.parse(fs.readFileSync(0, 'utf8'))
const out = cases.map(({ doc, a, b, c, raw }) => ({
  apply: run(() => type.apply(doc, clone(a))),
  left: run(() => type.transform(clone(a), clone(b), 'left')),
  right: run(() => type.transform(clone(a), clone(b), 'right')),
  compose: run(() => type.compose(clone(a), clone(c))),
  normalize: run(() => type.normalize(clone(raw))),
  invert: run(() => type.invertWithDoc(clone(a), doc)),
}))
fs.writeFileSync(1, JSON.stringify(out))
