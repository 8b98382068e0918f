package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/io"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// A renderer trace, for profiling a page under load: with
// DRAFTROOM_E2E_TRACE=1 (and DRAFTROOM_E2E_ARTIFACTS set), a test records a
// Chrome trace of its tab (open it in chrome://tracing or Perfetto) and
// sums up the renderer's main thread: how long its tasks took on the clock
// and on its CPU. A long task whose CPU time is short waited for a core.

// DRAFTROOM_E2E_BROWSER_CPU=N, for measuring: Chromium runs on CPU N
// alone, and everything else the tests start (servers, PostgreSQL, the
// bench) on the other CPUs, as on a delegate's laptop, where the server and
// the other typists are elsewhere.
func browserCPU() string { return os.Getenv("DRAFTROOM_E2E_BROWSER_CPU") }

// pinForMeasuring keeps this process and its children off the browser's
// CPU, with DRAFTROOM_E2E_BROWSER_CPU.
func pinForMeasuring() error {
	cpu := browserCPU()
	if cpu == "" {
		return nil
	}
	n, err := strconv.Atoi(cpu)
	if err != nil || n < 0 || n >= runtime.NumCPU() || runtime.NumCPU() < 2 {
		return fmt.Errorf("DRAFTROOM_E2E_BROWSER_CPU=%q: want one of CPUs 0–%d, and at least two", cpu, runtime.NumCPU()-1)
	}
	var others []string
	for i := range runtime.NumCPU() {
		if i != n {
			others = append(others, strconv.Itoa(i))
		}
	}
	out, err := exec.Command("taskset", "-a", "-p", "-c", strings.Join(others, ","), strconv.Itoa(os.Getpid())).CombinedOutput()
	if err != nil {
		return fmt.Errorf("taskset: %v: %s", err, out)
	}
	return nil
}

// browserExec is what starts Chromium: itself, or with
// DRAFTROOM_E2E_BROWSER_CPU a script that runs it on that CPU.
func browserExec(t *testing.T) string {
	cpu := browserCPU()
	if cpu == "" {
		return chromiumPath
	}
	script := filepath.Join(t.TempDir(), "chromium")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nexec taskset -c "+cpu+" "+chromiumPath+" \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return script
}

// traceCategories are what DevTools' Performance panel records.
var traceCategories = []string{
	"devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "toplevel",
	"blink.user_timing", "disabled-by-default-v8.cpu_profiler",
}

// tracing reports whether the run asked for renderer traces.
func tracingWanted() bool {
	return os.Getenv("DRAFTROOM_E2E_TRACE") != "" && os.Getenv("DRAFTROOM_E2E_ARTIFACTS") != ""
}

// startTrace starts recording the tab; the returned func stops it and
// returns the trace's JSON.
func (tb *tab) startTrace() func() []byte {
	tb.t.Helper()
	done := make(chan io.StreamHandle, 1)
	if err := chromedp.Listen(tb.ctx, func(ev any) {
		if e, ok := ev.(*tracing.EventTracingComplete); ok {
			done <- e.Stream
		}
	}); err != nil {
		tb.t.Fatalf("%s: listen: %v", tb.name, err)
	}
	tb.do("start tracing", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{
			TraceConfig:  &tracing.TraceConfig{IncludedCategories: traceCategories},
			TransferMode: tracing.StartTransferModeReturnAsStream,
		})
		return err
	}))
	return func() []byte {
		tb.t.Helper()
		var buf bytes.Buffer
		tb.do("stop tracing", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			if _, err := chromedp.Call(ctx, tracing.End, cdp.Empty{}); err != nil {
				return err
			}
			var stream io.StreamHandle
			select {
			case stream = <-done:
			case <-time.After(30 * time.Second):
				return fmt.Errorf("the trace did not complete")
			}
			for {
				r, err := chromedp.Call(ctx, io.Read, io.ReadParams{Handle: stream, Size: 1 << 20})
				if err != nil {
					return err
				}
				buf.Write(r.Data)
				if r.EOF {
					break
				}
			}
			_, err := chromedp.Call(ctx, io.Close, io.CloseParams{Handle: stream})
			return err
		}))
		return buf.Bytes()
	}
}

// traceSummary is the renderer main thread's work in a trace.
type traceSummary struct {
	Tasks          int                `json:"tasks"`
	TaskWallS      float64            `json:"task_wall_s"`
	TaskCPUS       float64            `json:"task_cpu_s"`
	LongByWall     int                `json:"long_tasks_by_wall"`
	LongByCPU      int                `json:"long_tasks_by_cpu"`
	LongWallS      float64            `json:"long_tasks_wall_s"`
	LongCPUS       float64            `json:"long_tasks_cpu_s"`
	LongestCPUMS   float64            `json:"longest_task_cpu_ms"`
	SelfWallMSTop  map[string]float64 `json:"self_wall_ms_top"`
	SpanS          float64            `json:"span_s"`
	RendererThread string             `json:"renderer_thread"`
}

type traceEvent struct {
	Name string          `json:"name"`
	Ph   string          `json:"ph"`
	Pid  int64           `json:"pid"`
	Tid  int64           `json:"tid"`
	Ts   float64         `json:"ts"`
	Dur  float64         `json:"dur"`
	TDur float64         `json:"tdur"`
	Args json.RawMessage `json:"args"`
}

// summarizeTrace sums up the busiest renderer main thread of a trace: its
// tasks (RunTask) on the clock and on the thread's CPU, the long ones
// (over 50 ms) by each, and the events that took the most time themselves.
func summarizeTrace(raw []byte) (traceSummary, error) {
	var file struct {
		TraceEvents []traceEvent `json:"traceEvents"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		// The stream form is a bare array of events.
		if err2 := json.Unmarshal(raw, &file.TraceEvents); err2 != nil {
			return traceSummary{}, err
		}
	}
	type thread struct{ pid, tid int64 }
	mains := map[thread]bool{}
	for _, e := range file.TraceEvents {
		if e.Ph == "M" && e.Name == "thread_name" && strings.Contains(string(e.Args), `"CrRendererMain"`) {
			mains[thread{e.Pid, e.Tid}] = true
		}
	}
	busy := map[thread]float64{}
	for _, e := range file.TraceEvents {
		if e.Ph == "X" && mains[thread{e.Pid, e.Tid}] {
			busy[thread{e.Pid, e.Tid}] += e.Dur
		}
	}
	var main thread
	for th, d := range busy {
		if d > busy[main] {
			main = th
		}
	}
	if busy[main] == 0 {
		return traceSummary{}, fmt.Errorf("no renderer main thread in the trace")
	}
	var evs []traceEvent
	for _, e := range file.TraceEvents {
		if e.Ph == "X" && (thread{e.Pid, e.Tid}) == main {
			evs = append(evs, e)
		}
	}
	sort.SliceStable(evs, func(i, j int) bool {
		if evs[i].Ts != evs[j].Ts {
			return evs[i].Ts < evs[j].Ts
		}
		return evs[i].Dur > evs[j].Dur
	})
	s := traceSummary{RendererThread: fmt.Sprintf("pid %d tid %d", main.pid, main.tid), SelfWallMSTop: map[string]float64{}}
	self := map[string]float64{}
	type open struct {
		end  float64
		name string
		self float64
	}
	var stack []*open
	first, last := evs[0].Ts, 0.0
	pop := func(until float64) {
		for len(stack) > 0 && stack[len(stack)-1].end <= until {
			o := stack[len(stack)-1]
			self[o.name] += o.self
			stack = stack[:len(stack)-1]
		}
	}
	for _, e := range evs {
		pop(e.Ts)
		if len(stack) > 0 {
			stack[len(stack)-1].self -= e.Dur
		}
		stack = append(stack, &open{end: e.Ts + e.Dur, name: e.Name, self: e.Dur})
		last = max(last, e.Ts+e.Dur)
		if e.Name != "RunTask" || len(stack) > 1 {
			continue
		}
		s.Tasks++
		s.TaskWallS += e.Dur / 1e6
		s.TaskCPUS += e.TDur / 1e6
		s.LongestCPUMS = max(s.LongestCPUMS, e.TDur/1e3)
		if e.Dur > 50e3 {
			s.LongByWall++
			s.LongWallS += e.Dur / 1e6
			s.LongCPUS += e.TDur / 1e6
		}
		if e.TDur > 50e3 {
			s.LongByCPU++
		}
	}
	pop(last + 1)
	s.SpanS = (last - first) / 1e6
	names := make([]string, 0, len(self))
	for n := range self {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return self[names[i]] > self[names[j]] })
	for _, n := range names[:min(8, len(names))] {
		s.SelfWallMSTop[n] = float64(int(self[n]/100)) / 10
	}
	return s, nil
}

// saveTrace writes a trace into the artefacts as name.json.
func saveTrace(tb *tab, name string, raw []byte) string {
	path := filepath.Join(artefacts(tb.t), name+".json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		tb.t.Error(err)
	}
	return path
}

// The summary counts the busiest renderer's top-level tasks on the clock
// and on the CPU, and what each event took itself.
func TestSummarizeTrace(t *testing.T) {
	t.Parallel()
	raw := `{"traceEvents":[
{"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"CrRendererMain"}},
{"ph":"M","name":"thread_name","pid":2,"tid":2,"args":{"name":"CrRendererMain"}},
{"ph":"M","name":"thread_name","pid":1,"tid":3,"args":{"name":"Compositor"}},
{"ph":"X","name":"RunTask","pid":2,"tid":2,"ts":0,"dur":1000,"tdur":1000},
{"ph":"X","name":"RunTask","pid":1,"tid":3,"ts":0,"dur":900000,"tdur":900000},
{"ph":"X","name":"RunTask","pid":1,"tid":1,"ts":1000,"dur":120000,"tdur":30000},
{"ph":"X","name":"FunctionCall","pid":1,"tid":1,"ts":2000,"dur":100000,"tdur":20000},
{"ph":"X","name":"Layout","pid":1,"tid":1,"ts":3000,"dur":60000,"tdur":5000},
{"ph":"X","name":"RunTask","pid":1,"tid":1,"ts":200000,"dur":70000,"tdur":60000},
{"ph":"X","name":"Paint","pid":1,"tid":1,"ts":200000,"dur":10000,"tdur":10000},
{"ph":"X","name":"RunTask","pid":1,"tid":1,"ts":300000,"dur":5000,"tdur":5000}
]}`
	s, err := summarizeTrace([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	want := traceSummary{Tasks: 3, TaskWallS: 0.195, TaskCPUS: 0.095, LongByWall: 2, LongByCPU: 1, LongWallS: 0.19, LongCPUS: 0.09, LongestCPUMS: 60, SpanS: 0.304, RendererThread: "pid 1 tid 1",
		SelfWallMSTop: map[string]float64{"RunTask": 20 + 60 + 5, "FunctionCall": 40, "Layout": 60, "Paint": 10}}
	got, _ := json.Marshal(s)
	exp, _ := json.Marshal(want)
	if string(got) != string(exp) {
		t.Errorf("summary:\n got %s\nwant %s", got, exp)
	}
}
