// Renders an Ollama Modelfile TEMPLATE with Go's text/template, as Ollama does, for the test that
// checks our templates reproduce the training renderings (tests/core/test_ollama_template.cpp).
// Usage: go run render_template.go < {"template": "...", "messages": [{"Role": "user", "Content": "hi"}, ...]}
// Prints the rendered text, nothing else.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"text/template"
)

type message struct {
	Role    string
	Content string
}

type input struct {
	Template string    `json:"template"`
	Messages []message `json:"messages"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "bad input:", err)
		os.Exit(2)
	}
	t, err := template.New("ollama").Parse(in.Template)
	if err != nil {
		fmt.Fprintln(os.Stderr, "template does not parse:", err)
		os.Exit(3)
	}
	data := map[string]any{"Messages": in.Messages}
	if err := t.Execute(os.Stdout, data); err != nil {
		fmt.Fprintln(os.Stderr, "template does not run:", err)
		os.Exit(4)
	}
}
