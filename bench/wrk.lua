-- wrk script for `make bench`: an optional request mix, and a JSON summary line for bench/run.py.
-- Usage: wrk ... -s bench/wrk.lua URL [-- MIXFILE | -- --distinct]; MIXFILE lines are
-- "METHOD PATH [Name: value]". --distinct: URL's request with an X-Bench-Count header that counts up,
-- so no two requests are alike (the service's replay of identical requests never answers one).

local requests = {}
local next_index = 1
local count = 0

function init(args)
  if args[1] == nil then
    return -- no mix: wrk sends its one static request to URL, the cheapest path for the generator
  end
  if args[1] == "--distinct" then
    request = function()
      count = count + 1
      return wrk.format(nil, nil, {["X-Bench-Count"] = tostring(count)})
    end
    return
  end
  for line in io.lines(args[1]) do
    local method, path, header = line:match("^(%S+)%s+(%S+)%s*(.*)$")
    if method then
      local headers = {}
      local name, value = header:match("^([^:]+):%s*(.+)$")
      if name then headers[name] = value end
      requests[#requests + 1] = wrk.format(method, path, headers)
    end
  end
  -- Defined only now, so a run without a mix keeps wrk's static (pre-built) request.
  request = function()
    local req = requests[next_index]
    next_index = next_index % #requests + 1
    return req
  end
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, "non_2xx_3xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
