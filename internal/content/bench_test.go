package content

import (
	"os"
	"testing"
)

// BenchmarkParseArticle parses, validates and renders the seed article,
// with its images present (as in the built-in content).
func BenchmarkParseArticle(b *testing.B) {
	src, err := os.ReadFile("../../content/blog/5-bedste-oevelser-til-spinalstenose.md")
	if err != nil {
		b.Fatal(err)
	}
	authors := map[string]*Author{"anders-hammer": {Slug: "anders-hammer", Name: "Anders Hammer"}}
	images := map[string]ImageInfo{}
	for _, name := range []string{"intro", "anatomi", "1", "2", "3", "4", "5"} {
		images["/images/blog/spinalstenose_"+name+".png"] = ImageInfo{Width: 800, Height: 600}
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		var probs Problems
		if a := ParseArticle("blog/5-bedste-oevelser-til-spinalstenose.md", src, images, authors, &probs); a == nil {
			b.Fatal(probs)
		}
	}
}
