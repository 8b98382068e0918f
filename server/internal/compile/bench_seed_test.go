package compile

import (
	"os"
	"testing"

	"github.com/draftroom/draftroom/server/internal/seedtest"
)

// BenchmarkReadSeed measures reading the real compilation (skipped when
// it is not beside the repository).
func BenchmarkReadSeed(b *testing.B) {
	data, err := os.ReadFile(seedtest.File(b, seedName))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Read(data, seedName, FormatAuto, nil); err != nil {
			b.Fatal(err)
		}
	}
}
