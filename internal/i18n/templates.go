package i18n

import (
	"fmt"
	"html/template"
	"slices"
	"strings"
	"text/template/parse"
)

// CheckTemplate reports every catalogue key a template set reads that the
// catalogue lacks, as "file:line: …", so that a misspelt {{.L.key}} stops
// the program when it starts instead of showing a page without the text.
// It finds the keys a template names directly: {{.L.key}}, {{$.L.key}}
// and {{index .L "key"}}; the template sets also run with
// missingkey=error, which catches the rest when a page is rendered.
func CheckTemplate(t *template.Template) error {
	var errs []string
	for _, tt := range t.Templates() {
		if tt.Tree == nil || tt.Tree.Root == nil {
			continue
		}
		c := checker{tree: tt.Tree}
		c.node(tt.Tree.Root)
		errs = append(errs, c.errs...)
	}
	slices.Sort(errs)
	errs = slices.Compact(errs)
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

type checker struct {
	tree *parse.Tree
	errs []string
}

func (c *checker) key(n parse.Node, key string) {
	if Has(Da, key) {
		return
	}
	loc, _ := c.tree.ErrorContext(n)
	c.errs = append(c.errs, fmt.Sprintf("%s: the catalogue has no text %q", loc, key))
}

// fields checks an identifier chain such as [L key] or [$ L key].
func (c *checker) fields(n parse.Node, ident []string) {
	for i := 0; i+1 < len(ident); i++ {
		if ident[i] == "L" {
			c.key(n, ident[i+1])
			return
		}
	}
}

func (c *checker) node(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, x := range n.Nodes {
			c.node(x)
		}
	case *parse.ActionNode:
		c.node(n.Pipe)
	case *parse.IfNode:
		c.branch(&n.BranchNode)
	case *parse.RangeNode:
		c.branch(&n.BranchNode)
	case *parse.WithNode:
		c.branch(&n.BranchNode)
	case *parse.TemplateNode:
		c.node(n.Pipe)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, cmd := range n.Cmds {
			c.node(cmd)
		}
	case *parse.CommandNode:
		// {{index .L "key"}}
		if len(n.Args) == 3 {
			if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "index" {
				if f, ok := n.Args[1].(*parse.FieldNode); ok && slices.Equal(f.Ident, []string{"L"}) {
					if s, ok := n.Args[2].(*parse.StringNode); ok {
						c.key(s, s.Text)
					}
				}
			}
		}
		for _, a := range n.Args {
			c.node(a)
		}
	case *parse.FieldNode:
		c.fields(n, n.Ident)
	case *parse.VariableNode:
		c.fields(n, n.Ident)
	case *parse.ChainNode:
		c.node(n.Node)
	}
}

func (c *checker) branch(b *parse.BranchNode) {
	c.node(b.Pipe)
	c.node(b.List)
	c.node(b.ElseList)
}
