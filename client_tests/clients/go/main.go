// Go's net/http client (the standard library only, so nothing is downloaded), as a Go service calls
// another. `client BASE_URL ROW...` prints a version line, then one JSON observation per row, like
// the other client scripts. Interim heads come from httptrace's Got1xxResponse, connection reuse from
// GotConn; redirects are followed by the client's default policy (at most 10), counted by CheckRedirect.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const timeout = 10 * time.Second

type row struct {
	Name    string            `json:"name"`
	Kind    string            `json:"kind"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Body    string            `json:"body"`
	Headers map[string]string `json:"headers"`
	Follow  bool              `json:"follow"`
	Auth    []string          `json:"auth"`
	Show    string            `json:"show"`
	Then    string            `json:"then"`
	Pause   float64           `json:"pause"`
}

type observation map[string]any

// errorKind names a failure without its message (which carries addresses and ports).
func errorKind(err error) string {
	var netErr net.Error
	switch {
	case errors.Is(err, syscall.ECONNRESET):
		return "ECONNRESET"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected EOF"
	case errors.Is(err, io.EOF):
		return "EOF"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), "stopped after 10 redirects"):
		return "stopped after 10 redirects" // net/http's default policy, as an error string only
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return fmt.Sprintf("%T", urlErr.Err)
	}
	return fmt.Sprintf("%T", err)
}

type exchange struct {
	client   *http.Client
	interim  []int
	reused   bool
	requests int // requests sent for one call: the hops followed are one fewer
}

// newExchange makes a client with net/http's own redirect policy (at most 10, then an error) when
// the row follows redirects, and none otherwise.
func newExchange(follow bool) *exchange {
	transport := &http.Transport{ExpectContinueTimeout: time.Second, MaxIdleConnsPerHost: 1}
	ex := &exchange{interim: []int{}}
	ex.client = &http.Client{Transport: transport, Timeout: timeout}
	if !follow {
		ex.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return ex
}

func (ex *exchange) send(r row, target string) (observation, error) {
	trace := &httptrace.ClientTrace{
		Got1xxResponse: func(code int, _ textproto.MIMEHeader) error {
			ex.interim = append(ex.interim, code)
			return nil
		},
		GotConn: func(info httptrace.GotConnInfo) {
			ex.reused = info.Reused
			ex.requests++
		},
	}
	var body io.Reader
	if r.Body != "" {
		body = strings.NewReader(r.Body)
	}
	ctx := httptrace.WithClientTrace(context.Background(), trace)
	req, err := http.NewRequestWithContext(ctx, r.Method, target, body)
	if err != nil {
		return nil, err
	}
	for name, value := range r.Headers {
		req.Header.Set(name, value)
	}
	if len(r.Auth) == 2 {
		req.SetBasicAuth(r.Auth[0], r.Auth[1])
	}
	ex.requests = 0
	resp, err := ex.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	read, readErr := io.ReadAll(resp.Body)
	found := observation{"status": resp.StatusCode, "bytes": len(read), "hops": ex.requests - 1, "interim": ex.interim}
	// Go keeps the whole status line's text: the reason is what follows the code.
	found["reason"] = strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)))
	if length := resp.Header.Get("Content-Length"); length != "" {
		found["length"], _ = strconv.Atoi(length)
	}
	if r.Show != "" {
		found["shown"] = resp.Header.Get(r.Show)
	}
	var echoed map[string]any
	if json.Unmarshal(read, &echoed) == nil {
		if method, ok := echoed["method"]; ok {
			sent, _ := echoed["body"].(string)
			if sent == "" {
				sent, _ = echoed["data"].(string)
			}
			found["method"], found["body"] = method, sent == "ping"
		}
	}
	if readErr != nil {
		found["error"] = errorKind(readErr)
	}
	return found, nil
}

func run(r row, base string) observation {
	key := "matrix-" + token() // a ?sequence= key no other run uses
	target := base + strings.ReplaceAll(r.Path, "{key}", key)
	ex := newExchange(r.Follow)
	found, err := ex.send(r, target)
	if err != nil {
		found = observation{"error": errorKind(err)}
	}
	if strings.Contains(r.Path, "{key}") {
		found["sequence"] = key // matrix.py reads its attempt log
	}
	if err != nil {
		return found
	}
	switch r.Kind {
	case "pair":
		time.Sleep(time.Duration(r.Pause * float64(time.Second)))
		following, err := ex.send(row{Method: "GET"}, base+r.Then)
		if err != nil {
			found["next_error"] = errorKind(err)
		} else {
			found["next"], found["reused"] = following["status"], ex.reused
		}
	case "retry":
		found["attempts"] = 1 // net/http has no retry policy for statuses
	}
	return found
}

func token() string {
	raw := make([]byte, 6)
	_, _ = rand.Read(raw)
	return hex.EncodeToString(raw)
}

func main() {
	base, names := strings.TrimRight(os.Args[1], "/"), os.Args[2:]
	executable, _ := os.Executable()
	planPath := os.Getenv("CLIENT_PLAN")
	if planPath == "" {
		planPath = filepath.Join(filepath.Dir(executable), "plan.json")
	}
	raw, err := os.ReadFile(planPath)
	if err != nil {
		panic(err)
	}
	var plan struct{ Rows []row }
	if err := json.Unmarshal(raw, &plan); err != nil {
		panic(err)
	}
	rows := map[string]row{}
	for _, r := range plan.Rows {
		rows[r.Name] = r
	}
	out := json.NewEncoder(os.Stdout)
	_ = out.Encode(observation{"client": "Go net/http", "version": strings.TrimPrefix(runtime.Version(), "go")})
	for _, name := range names {
		started := time.Now()
		found := run(rows[name], base)
		if _, ok := found["waited"]; !ok {
			found["waited"] = float64(time.Since(started).Milliseconds()) / 1000
		}
		found["row"] = name
		var line bytes.Buffer
		_ = json.NewEncoder(&line).Encode(found)
		os.Stdout.Write(line.Bytes())
	}
}
