package htmltext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/korean"
)

func eucKR(t testing.TB, s string) []byte {
	b, err := korean.EUCKR.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeHTML(t *testing.T) {
	t.Parallel()
	const ko = "<html><head>%s<title>행복한 빵집</title></head><body>갓 구운 빵과 커피가 있는 동네 빵집입니다</body></html>"
	page := func(head string) string { return strings.Replace(ko, "%s", head, 1) }
	cases := []struct {
		name        string
		body        []byte
		contentType string
		wantCharset string
	}{
		{"utf-8 by header", []byte(page("")), "text/html; charset=utf-8", "utf-8"},
		{"utf-8 undeclared", []byte(page("")), "text/html", "utf-8"},
		{"euc-kr by meta", eucKR(t, page(`<meta charset="euc-kr">`)), "text/html", "euc-kr"},
		{"euc-kr by http-equiv", eucKR(t, page(`<meta http-equiv="Content-Type" content="text/html; charset=EUC-KR">`)), "", "euc-kr"},
		{"ks_c_5601 label", eucKR(t, page(`<meta charset="ks_c_5601-1987">`)), "", "euc-kr"},
		{"euc-kr with a lying header", eucKR(t, page("")), "text/html; charset=utf-8", "euc-kr"},
		{"euc-kr undeclared", eucKR(t, page("")), "text/html", "euc-kr"},
		{"utf-8 despite an euc-kr meta", []byte(page(`<meta charset="euc-kr">`)), "", "utf-8"},
		{"utf-8 cut mid-rune by the cap", []byte(page(""))[:len(page(""))-40], "", "utf-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			text, cs := DecodeHTML(tc.body, tc.contentType)
			if cs != tc.wantCharset {
				t.Errorf("charset %q, want %q", cs, tc.wantCharset)
			}
			if !strings.Contains(text, "행복한 빵집") || !utf8.ValidString(text) {
				t.Errorf("decoded text %q", text)
			}
		})
	}
	latin := []byte("<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 Cr\xe8me</title></head></html>")
	if text, _ := DecodeHTML(latin, ""); !strings.Contains(text, "Café Crème") {
		t.Errorf("latin-1 page decoded as %q", text)
	}
}
