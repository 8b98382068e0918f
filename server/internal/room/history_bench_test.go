package room

import (
	"context"
	"fmt"
	"testing"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// BenchmarkDocumentAt rebuilds a document at a seq late in a 2,000-op log,
// from the nearest snapshot (every 500 ops) plus the ops after it, against
// the real database.
func BenchmarkDocumentAt(b *testing.B) {
	for _, every := range []int64{500, 1_000_000} {
		b.Run(fmt.Sprintf("snapshot_every_%d", every), func(b *testing.B) {
			t := b
			f := setup(t, Config{SnapshotEvery: every})
			chair := f.person(t, "chair", "")
			m, p, _ := f.join(t, chair, 8192, -1)
			const n = 2000
			for i := 0; i < n; i++ {
				m.Edit(wire.Edit{RefID: fmt.Sprintf("r%d", i), Para: f.paras[i%3], Base: int64(i), Op: ot.Op{{Insert: "ж"}}})
				p.next(t, wire.TypeOps)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := f.st.DocumentAt(context.Background(), f.doc, n-10); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
