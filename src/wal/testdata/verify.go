// verify reads a WAL directory (and optionally a snap file) with etcd 3.4's own Go
// packages and prints what they decode as JSON, so tetcd's tests can prove that etcd
// accepts the files tetcd writes. Build-free use:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run verify.go -wal DIR [-index N -term T] [-snap FILE]
package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"go.etcd.io/etcd/etcdserver/api/snap"
	"go.etcd.io/etcd/wal"
	"go.etcd.io/etcd/wal/walpb"
	"go.uber.org/zap"
)

type entry struct {
	Term  uint64 `json:"term"`
	Index uint64 `json:"index"`
	Type  int32  `json:"type"`
	Data  string `json:"data"`
}

type result struct {
	Metadata  string            `json:"metadata,omitempty"`
	HardState map[string]uint64 `json:"hardState,omitempty"`
	Entries   []entry           `json:"entries,omitempty"`
	Snaps     []walpb.Snapshot  `json:"walSnapshots,omitempty"`
	Snap      map[string]any    `json:"snap,omitempty"`
}

func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
	os.Exit(1)
}

func main() {
	walDir := flag.String("wal", "", "WAL directory to read")
	index := flag.Uint64("index", 0, "snapshot index to open the WAL at")
	term := flag.Uint64("term", 0, "snapshot term to open the WAL at")
	write := flag.Bool("write", false, "open for writing (wal.Open) instead of wal.OpenForRead")
	snapFile := flag.String("snap", "", "snap file to read with snap.Read")
	flag.Parse()
	lg := zap.NewNop()
	var out result
	if *walDir != "" {
		start := walpb.Snapshot{Index: *index, Term: *term}
		if err := wal.Verify(lg, *walDir, start); err != nil {
			fail("wal.Verify", err)
		}
		open := wal.OpenForRead
		if *write {
			open = wal.Open
		}
		w, err := open(lg, *walDir, start)
		if err != nil {
			fail("wal.Open", err)
		}
		md, st, ents, err := w.ReadAll()
		if err != nil {
			fail("wal.ReadAll", err)
		}
		w.Close()
		out.Metadata = hex.EncodeToString(md)
		out.HardState = map[string]uint64{"term": st.Term, "vote": st.Vote, "commit": st.Commit}
		out.Entries = []entry{}
		for _, e := range ents {
			out.Entries = append(out.Entries, entry{e.Term, e.Index, int32(e.Type), hex.EncodeToString(e.Data)})
		}
		if out.Snaps, err = wal.ValidSnapshotEntries(lg, *walDir); err != nil {
			fail("wal.ValidSnapshotEntries", err)
		}
	}
	if *snapFile != "" {
		s, err := snap.Read(lg, *snapFile)
		if err != nil {
			fail("snap.Read", err)
		}
		out.Snap = map[string]any{
			"term": s.Metadata.Term, "index": s.Metadata.Index,
			"voters": s.Metadata.ConfState.Voters, "learners": s.Metadata.ConfState.Learners,
			"data": hex.EncodeToString(s.Data),
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail("encode", err)
	}
}
