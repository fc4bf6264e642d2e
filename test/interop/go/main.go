// Command docket-interop verifies docket's output with independent implementations:
// golang.org/x/mod/sumdb/note for C2SP signed notes and github.com/transparency-dev/merkle for RFC 9162 proofs.
// It shares no code with docket. Exit status 0 means accepted, 1 rejected, 2 usage.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
)

type checkpoint struct {
	origin string
	size   uint64
	root   []byte
}

type inclusion struct {
	Origin     string   `json:"origin"`
	Index      uint64   `json:"index"`
	TreeSize   uint64   `json:"treeSize"`
	LeafHash   string   `json:"leafHash"`
	Proof      []string `json:"proof"`
	Checkpoint string   `json:"checkpoint"`
}

type consistency struct {
	Origin      string   `json:"origin"`
	Size1       uint64   `json:"size1"`
	Size2       uint64   `json:"size2"`
	Proof       []string `json:"proof"`
	Checkpoint1 string   `json:"checkpoint1"`
	Checkpoint2 string   `json:"checkpoint2"`
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: docket-interop checkpoint|inclusion|consistency <verifier-key-file> <file>")
		os.Exit(2)
	}
	vkey, err := os.ReadFile(os.Args[2])
	if err != nil {
		fail(err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		fail(fmt.Errorf("verifier key: %w", err))
	}
	data, err := os.ReadFile(os.Args[3])
	if err != nil {
		fail(err)
	}
	switch os.Args[1] {
	case "checkpoint":
		cp, err := openCheckpoint(data, verifier)
		if err != nil {
			fail(err)
		}
		fmt.Printf("checkpoint ok: origin=%s size=%d root=%x\n", cp.origin, cp.size, cp.root)
	case "inclusion":
		var p inclusion
		if err := strictJSON(data, &p); err != nil {
			fail(err)
		}
		cp, err := openCheckpoint([]byte(p.Checkpoint), verifier)
		if err != nil {
			fail(err)
		}
		if cp.size != p.TreeSize {
			fail(fmt.Errorf("proof is for size %d, checkpoint is size %d", p.TreeSize, cp.size))
		}
		leaf, err := b64(p.LeafHash)
		if err != nil {
			fail(err)
		}
		hashes, err := b64s(p.Proof)
		if err != nil {
			fail(err)
		}
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, p.Index, p.TreeSize, leaf, hashes, cp.root); err != nil {
			fail(err)
		}
		fmt.Printf("inclusion ok: index=%d size=%d\n", p.Index, p.TreeSize)
	case "consistency":
		var p consistency
		if err := strictJSON(data, &p); err != nil {
			fail(err)
		}
		cp1, err := openCheckpoint([]byte(p.Checkpoint1), verifier)
		if err != nil {
			fail(err)
		}
		cp2, err := openCheckpoint([]byte(p.Checkpoint2), verifier)
		if err != nil {
			fail(err)
		}
		if cp1.size != p.Size1 || cp2.size != p.Size2 {
			fail(errors.New("proof sizes differ from the checkpoints' sizes"))
		}
		hashes, err := b64s(p.Proof)
		if err != nil {
			fail(err)
		}
		if err := proof.VerifyConsistency(rfc6962.DefaultHasher, p.Size1, p.Size2, hashes, cp1.root, cp2.root); err != nil {
			fail(err)
		}
		fmt.Printf("consistency ok: %d -> %d\n", p.Size1, p.Size2)
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}

// openCheckpoint verifies the signed note and parses the C2SP tlog-checkpoint body; origin must be the key name.
func openCheckpoint(msg []byte, v note.Verifier) (*checkpoint, error) {
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("signed note: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) < 3 {
		return nil, errors.New("checkpoint body has fewer than three lines")
	}
	if lines[0] != v.Name() {
		return nil, fmt.Errorf("origin %q is not the key name %q", lines[0], v.Name())
	}
	size, err := strconv.ParseUint(lines[1], 10, 64)
	if err != nil || strconv.FormatUint(size, 10) != lines[1] {
		return nil, fmt.Errorf("bad tree size %q", lines[1])
	}
	root, err := b64(lines[2])
	if err != nil || len(root) != 32 {
		return nil, fmt.Errorf("bad root hash %q", lines[2])
	}
	return &checkpoint{origin: lines[0], size: size, root: root}, nil
}

func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func b64(s string) ([]byte, error) { return base64.StdEncoding.Strict().DecodeString(s) }

func b64s(in []string) ([][]byte, error) {
	out := make([][]byte, len(in))
	for i, s := range in {
		b, err := b64(s)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "rejected:", err)
	os.Exit(1)
}
