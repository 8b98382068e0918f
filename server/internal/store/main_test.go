package store_test

import (
	"testing"

	"github.com/draftroom/draftroom/server/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
