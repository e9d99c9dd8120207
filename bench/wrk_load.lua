-- wrk script: POST one question per request, cycling through BENCH_BODIES (one JSON body a
-- line), each thread starting at its own offset; or GET when BENCH_BODIES is unset.
-- Prints one line "BENCHJSON {...}" with the figures at the end.
local path = os.getenv("BENCH_BODIES")
local bodies = {}
if path then
  for line in io.lines(path) do bodies[#bodies + 1] = line end
end
local threads = {}
local counter = 1
local bad = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  if #bodies > 0 then
    counter = (tid * math.floor(#bodies / 2)) % #bodies + 1
  end
end

function request()
  if #bodies == 0 then
    return wrk.format("GET")
  end
  local body = bodies[counter]
  counter = counter % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do non200 = non200 + (t:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "non200": %d, "errors": {"connect": %d, ' ..
    '"read": %d, "write": %d, "status": %d, "timeout": %d}, "latency_us": {"p50": %d, ' ..
    '"p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, non200, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
