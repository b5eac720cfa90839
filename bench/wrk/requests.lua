-- wrk script for every case of bench/run.sh. BENCH_DATA names a Lua file written by
-- `bench/bench.py data CASE`: { sequential = bool, requests = { {method, path, auth, body}, … } }.
-- Random cases pick a request at random each time; sequential ones (review decisions) hand each
-- request out once, split between wrk's threads, so no evidence is reviewed twice.

local data = dofile(os.getenv("BENCH_DATA"))
local requests = data.requests
local threads = {}
local next_index = 0
-- wrk does not tell a thread how many threads there are; BENCH_THREADS does.
local stride = tonumber(os.getenv("BENCH_THREADS") or "1")
-- BENCH_THINK_MS > 0: each connection waits that long after a response before its next request
-- (a user reading the page), so the offered load stays below what the machine can serve.
local think_ms = tonumber(os.getenv("BENCH_THINK_MS") or "0")
if think_ms > 0 then
  function delay() return think_ms end
end

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  local n = thread_number or 0
  math.randomseed(os.time() * 1000 + n)
  next_index = n
end

function request()
  local r
  if data.sequential then
    r = requests[(next_index % #requests) + 1]
    next_index = next_index + stride
  else
    r = requests[math.random(#requests)]
  end
  local headers = {}
  if r[3] then headers["Authorization"] = r[3] end
  if r[4] then headers["Content-Type"] = "application/json" end
  return wrk.format(r[1], r[2], headers, r[4])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "max_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, ' ..
    '"errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
