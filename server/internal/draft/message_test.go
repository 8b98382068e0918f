package draft

import "testing"

func TestJoinAnd(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{nil, ""},
		{[]string{`"مشروع"`}, `"مشروع"`},
		{[]string{`"草案"`, `"проект"`}, `"草案" and "проект"`},
		{[]string{"CHN's text", "🇫🇷 text", "the original text"}, "CHN's text, 🇫🇷 text and the original text"},
	} {
		if got := JoinAnd(tc.words); got != tc.want {
			t.Errorf("JoinAnd(%q) = %q, want %q", tc.words, got, tc.want)
		}
	}
}
